"""`python -m erdm keys create --org CODE --scope own|subtree`: an operator makes a key for one organisation."""
from __future__ import annotations

from citydesk import CityDesk

from erdm.__main__ import main
from gateway import auth, keys, testing
from servicekit.db import Database


def test_an_operator_makes_an_enterprise_key_from_the_command_line(tmp_path, monkeypatch, capsys):
    data_dir = tmp_path / "data"
    monkeypatch.setenv("ERDM_DATA_DIR", str(data_dir))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    url = f"sqlite:///{data_dir / 'gateway.db'}"
    assert main(["keys", "create", "--name", "市局大屏", "--role", "viewer"]) == 0  # migrates the fresh store
    capsys.readouterr()
    app, client = testing.gateway_client(testing.settings_factory(url)(), None)
    try:
        CityDesk(client).build_city()
        assert main(["keys", "create", "--name", "企业值班", "--role", "planner", "--org", "ENT-001",
                     "--scope", "own"]) == 0
        said = capsys.readouterr()
        assert "own of /ROOT/PD/ENT-001/" in said.err
        me = client.get("/api/v1/me", headers=testing.bearer(said.out.strip())).get_json()
        assert (me["org"]["code"], me["scope"], me["role"]) == ("ENT-001", "own", "planner")

        assert main(["keys", "create", "--name", "无名", "--role", "viewer", "--org", "NOWHERE"]) == 1
        assert "org_code" in capsys.readouterr().err
    finally:
        testing.close(app)

    database = Database(url)
    with database.session(readonly=True) as session:
        listed, _total = keys.page(session=session, actor=auth.ADMIN, page=1, per_page=10)
    database.dispose()
    assert sorted((key.org_code, key.scope) for key in listed) == [("ENT-001", "own"), ("ROOT", "subtree")]

