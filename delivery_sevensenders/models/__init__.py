# Odoo models of the connector (the Seven Senders account, carrier, outbox...)
# arrive with the addon-core issue; the pure API client lives in ../sevensenders.
