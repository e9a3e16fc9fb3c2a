

def test_full_loads_an_official_layout_checkpoint_strictly(tmp_path):
    source = ex.build_model("lpienet", "full", seed=5)
    state = {"module." + k: v for k, v in source.state_dict().items()}  # DataParallel-style keys
    torch.save({"state_dict": state}, tmp_path / "lpienet.pth")
    model = L.build("full")
    ex.load_checkpoint(model, "lpienet", tmp_path / "lpienet.pth")
    x = torch.rand(1, 3, 32, 32)
    with torch.no_grad():
        torch.testing.assert_close(model.eval()(x), source(x))
