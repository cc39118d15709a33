"""The IC card panel (IC卡购气) of the workstation."""
