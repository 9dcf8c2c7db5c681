"""Client of the sandbox's control endpoints (``/_sandbox/...``).

Needs only ``requests``, so Odoo tests can drive a sandbox running in another
process without FastAPI in Odoo's environment.
"""

import requests


class SandboxControl:
    """Faults, token revocation, reset and inspection of a running sandbox."""

    url = None  # http://127.0.0.1:<port>

    @property
    def base_url(self):
        return self.url + "/v2"

    def control(self, method, path, **kw):
        response = requests.request(
            method, self.url + "/_sandbox" + path, timeout=10, **kw
        )
        response.raise_for_status()
        return response.json()

    def set_faults(self, **faults):
        return self.control("PUT", "/faults", json=faults)

    def reset(self):
        return self.control("POST", "/reset")

    def revoke_tokens(self):
        return self.control("POST", "/tokens/revoke")

    def stats(self):
        return self.control("GET", "/stats")

    def requests(self):
        """The emulated API's calls in arrival order: ``{method, path, status}``."""
        return self.control("GET", "/requests")

    def objects(self, kind):
        return self.control("GET", f"/objects/{kind}")

    def object(self, kind, obj_id):
        """One stored object (``order``, ``shipment``, ...) as the sandbox holds it."""
        return self.control("GET", f"/objects/{kind}/{obj_id}")

    def change_object(self, kind, obj_id, **changes):
        """Change Seven Senders' copy behind the shop's back (``None`` removes a key)."""
        return self.control("PATCH", f"/objects/{kind}/{obj_id}", json=changes)

    def delete_object(self, kind, obj_id):
        """Delete Seven Senders' copy behind the shop's back."""
        return self.control("DELETE", f"/objects/{kind}/{obj_id}")

    def move_shipment(self, shipment_id, status, datetime=None):
        """Set a shipment's carrier status (pickup, in_transit, delivered...)."""
        return self.control(
            "POST",
            f"/shipments/{shipment_id}/status",
            json={"status": status, "datetime": datetime},
        )

    def set_history(self, shipment_id, entries):
        """Replace a shipment's history: ``[(status, iso datetime), ...]``."""
        return self.control(
            "PUT",
            f"/shipments/{shipment_id}/history",
            json=[{"status": s, "datetime": d} for s, d in entries],
        )
