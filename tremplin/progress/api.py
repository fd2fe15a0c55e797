from ninja import Router

progress_router = Router(tags=["Progression et freins"])
