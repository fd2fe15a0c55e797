"""Rule E1: the shipped orders carry their validity period. Rows mirrored from
``rules/data/aid_orders`` get the file's ``valid_until`` when they have none; real shipped
orders not yet in the database are mirrored. Demonstration orders (the demo's Grand Est
order) are never mirrored: they count from the file only, so that the département's real
order for the same date, entered on the orders page, simply replaces them. Rows a
département entered are left as they are."""

from django.db import migrations


def mirror_validity(apps, schema_editor):
    from tremplin.rules.parameters import AID_ORDERS_DIR, read_aid_order_json

    AidOrder = apps.get_model("conventions", "AidOrder")
    for path in sorted(AID_ORDERS_DIR.glob("*.json")):
        order = read_aid_order_json(path)
        if order.demonstration:
            continue
        row = AidOrder.objects.filter(
            region_code=order.region_code, sector=order.sector, valid_from=order.valid_from
        ).first()
        if row is None:
            data = order.to_mapping()
            data["valid_from"] = order.valid_from
            data["valid_until"] = order.valid_until
            data["training_raise_percent"] = order.training_raise_percent
            AidOrder.objects.create(**data)
        elif row.valid_until is None and row.reference == order.reference:
            row.valid_until = order.valid_until
            row.save(update_fields=["valid_until"])


class Migration(migrations.Migration):
    dependencies = [("conventions", "0005_order_validity_and_rule_fields")]

    operations = [migrations.RunPython(mirror_validity, migrations.RunPython.noop)]
