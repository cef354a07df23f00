"""Tests of the independent checker (plsched.check) and of `plsched check`."""
