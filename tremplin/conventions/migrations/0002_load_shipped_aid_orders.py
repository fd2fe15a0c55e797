"""Mirror the aid-rate orders shipped in ``rules/data/aid_orders`` (seed 002, rule E12) into
the database, where a département adds its own orders without a release (rule E1)."""

from django.db import migrations


def load_orders(apps, schema_editor):
    from tremplin.rules.parameters import AID_ORDERS_DIR, read_aid_order_json

    AidOrder = apps.get_model("conventions", "AidOrder")
    # The files are read with today's code: keep only the fields this migration's model has
    # (valid_until and later fields come with 0005 and 0006).
    fields = {field.name for field in AidOrder._meta.get_fields()}
    for path in sorted(AID_ORDERS_DIR.glob("*.json")):
        order = read_aid_order_json(path)
        if getattr(order, "demonstration", False):
            continue  # demonstration data counts from the file only (see 0006)
        data = {name: value for name, value in order.to_mapping().items() if name in fields}
        AidOrder.objects.update_or_create(
            region_code=data.pop("region_code"),
            sector=data.pop("sector"),
            valid_from=data.pop("valid_from"),
            defaults=data,
        )


class Migration(migrations.Migration):
    dependencies = [("conventions", "0001_initial")]

    operations = [migrations.RunPython(load_orders, migrations.RunPython.noop)]
