"""frameq_models.eval.faults: how a gathered set's manifest becomes labelled files."""
from frameq_models.eval import faults


def test_a_gathered_sets_kinds_map_onto_the_fault_labels_and_unknown_kinds_are_left_out(tmp_path):
    rows = [("haze/a.jpg", "haze"), ("fog/b.png", "fog"), ("flare/c.jpg", "flare"), ("drops/d.jpg", "raindrop"),
            ("clean/e.jpg", "clean"), ("x/f.jpg", "sharpness"), ("missing/g.jpg", "haze")]
    lines = ["path\ttype\tsource_repo\tpath_in_repo\tlicence\tpair_id\tnote"]
    for path, kind in rows:
        if not path.startswith("missing"):
            (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / path).write_bytes(b"\xff\xd8")
        lines.append(f"{path}\t{kind}\trepo\t{path}\tnone stated\t\t")
    (tmp_path / "MANIFEST.tsv").write_text("\n".join(lines) + "\n")
    items = {it["file"].split("/")[-1]: it for it in faults.collect_extra(tmp_path)}
    assert {k: (v["label"], v["set"]) for k, v in items.items()} == {
        "a.jpg": ("low_visibility", "fault"), "b.png": ("low_visibility", "fault"), "c.jpg": ("glare", "fault"),
        "d.jpg": ("raindrops", "fault"), "e.jpg": ("clean", "clean_photo")}
    assert {v["half"] for v in items.values()} == {"extra"}
