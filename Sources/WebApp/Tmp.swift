enum _PlaceholderWebApp {}
