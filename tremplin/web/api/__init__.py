"""What every app's API router shares: the French error shape, authentication, pagination
and the form-backed payloads. ``tremplin.api`` only assembles the routers of the apps."""
