from . import return_portal
