from . import test_client_wiring
from . import test_order_sync
from . import test_outbox
from . import test_shipping
from . import test_security
from . import test_pickup_points
from . import test_pickup_tour
from . import test_customs
