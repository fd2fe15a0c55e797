from ninja import Router

companies_router = Router(tags=["Relations entreprises"])
