# `make run`, step 1 of the demo (odoo-bin shell, before the apps are installed):
# the demo company becomes a German merchant in München trading in EUR, so that
# Odoo installs the German chart of accounts with it and the warehouse address,
# the Seven Senders warehouse mapping and the company agree.
# ruff: noqa: F821  (``env`` is given by odoo-bin shell)
eur = env.ref("base.EUR")
eur.active = True
company = env.ref("base.main_company")
company.write(
    {
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
)
env.ref("base.USD").active = False
env.cr.commit()
print("DEMO: company", company.name, company.currency_id.name, company.country_id.code)
