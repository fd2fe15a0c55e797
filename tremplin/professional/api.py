from ninja import Router

professional_router = Router(tags=["Accompagnement professionnel"])
