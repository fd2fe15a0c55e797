"""Mirror the aid-rate orders shipped in ``rules/data/aid_orders`` (seed 002, rule E12) into
the database, where a département adds its own orders without a release (rule E1)."""

from django.db import migrations


def load_orders(apps, schema_editor):
    from tremplin.rules.parameters import AID_ORDERS_DIR, read_aid_order_json

    AidOrder = apps.get_model("conventions", "AidOrder")
    for path in sorted(AID_ORDERS_DIR.glob("*.json")):
        data = read_aid_order_json(path).to_mapping()
        AidOrder.objects.update_or_create(
            region_code=data.pop("region_code"),
            sector=data.pop("sector"),
            valid_from=data.pop("valid_from"),
            defaults=data,
        )


class Migration(migrations.Migration):
    dependencies = [("conventions", "0001_initial")]

    operations = [migrations.RunPython(load_orders, migrations.RunPython.noop)]
