"""The Statistics tab (`tab.py`) and its parts: the controls, the computation and its loader,
the periods, the figures (KPI cards, charts, heat map, panels, tables) and their files."""
