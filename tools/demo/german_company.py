# `make run`, step 1 of the demo (odoo-bin shell, before the apps are installed):
# the demo company becomes a German merchant in München trading in EUR, so that
# Odoo installs the German chart of accounts with it and the warehouse address,
# the Seven Senders warehouse mapping and the company agree.
# With ODOO_DEMO_COMPANY=plain (an Odoo without the module ``certificate``, which
# 19.0's German e-invoicing needs), it runs twice: before the apps, only the name
# and EUR; after them, the address, so Odoo keeps its generic chart of accounts.
# ruff: noqa: F821  (``env`` is given by odoo-bin shell)
import os

plain = os.environ.get("ODOO_DEMO_COMPANY") == "plain"
accounting = "account.account" in env
eur = env.ref("base.EUR")
eur.active = True
company = env.ref("base.main_company")
vals = {
    "name": "Bergfreunde Outdoor GmbH",
    "currency_id": eur.id,
    "street": "Schleißheimer Str. 506",
    "zip": "80933",
    "city": "München",
    "country_id": env.ref("base.de").id,
    "phone": "+49 89 1234560",
    "email": "shop@bergfreunde.example",
    "website": "https://shop.example.com",
}
if plain and not accounting:
    vals = {"name": vals["name"], "currency_id": eur.id}
elif plain:
    del vals["currency_id"]
company.write(vals)
env.ref("base.USD").active = False
env.cr.commit()
print("DEMO: company", company.name, company.currency_id.name, company.country_id.code)
