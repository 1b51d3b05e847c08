enum _PlaceholderPages {}
