"""Group meetings arrive with the groups-and-meetings issue."""
