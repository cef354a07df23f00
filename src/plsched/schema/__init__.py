"""The public formats: ``plsched/instance@1`` and ``plsched/schedule@1``."""

from plsched.schema.instance import (
    INSTANCE_FORMAT as INSTANCE_FORMAT,
)
from plsched.schema.instance import (
    Block as Block,
)
from plsched.schema.instance import (
    CompetencyModel as CompetencyModel,
)
from plsched.schema.instance import (
    Goal as Goal,
)
from plsched.schema.instance import (
    Instance as Instance,
)
from plsched.schema.instance import (
    Learner as Learner,
)
from plsched.schema.instance import (
    Modality as Modality,
)
from plsched.schema.instance import (
    Needs as Needs,
)
from plsched.schema.instance import (
    Policy as Policy,
)
from plsched.schema.instance import (
    Qualification as Qualification,
)
from plsched.schema.instance import (
    Room as Room,
)
from plsched.schema.instance import (
    Skill as Skill,
)
from plsched.schema.instance import (
    Subject as Subject,
)
from plsched.schema.instance import (
    Teacher as Teacher,
)
from plsched.schema.instance import (
    Weights as Weights,
)
from plsched.schema.schedule import SCHEDULE_FORMAT as SCHEDULE_FORMAT
from plsched.schema.schedule import Schedule as Schedule
from plsched.schema.schedule import Session as Session
from plsched.schema.schedule import Unmet as Unmet
