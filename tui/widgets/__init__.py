"""Small widgets shared by the app's screens."""
