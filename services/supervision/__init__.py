"""Supervision: hazards and rectification orders followed until closed and looked back at, and severe-weather
warnings with each enterprise's acknowledgement and feedback (隐患整改与预警)."""
