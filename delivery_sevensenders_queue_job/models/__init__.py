from . import sevensenders_account
from . import sevensenders_outbox
