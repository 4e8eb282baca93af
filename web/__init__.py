"""Front-door code for the web: the REST routes and the staff page, over the qa service."""
