import sys
from pathlib import Path

# make `frameq_models` importable when pytest runs from models/python or the repo root
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
