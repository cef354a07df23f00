import sys

from plsched.cli import main

sys.exit(main())
