"""Seeded generator of realistic school instances (``plsched generate``)."""

from plsched.generate.presets import PRESETS as PRESETS
from plsched.generate.presets import Preset as Preset
from plsched.generate.school import generate as generate
from plsched.generate.school import generate_district as generate_district
from plsched.generate.school import generate_school as generate_school
from plsched.generate.school import to_json as to_json
