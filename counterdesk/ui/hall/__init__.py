"""The hall screens: ticket kiosk, hall display, voice."""
