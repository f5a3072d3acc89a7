from tests import factories


def test_list_and_detail_pages(client, session):
    org = factories.organisation(session, short_name="Wały i Ramy")
    response = client.get("/organisations")
    assert response.status_code == 200
    assert "Wały i Ramy" in response.text
    detail = client.get(f"/organisations/{org.id}")
    assert detail.status_code == 200
    api = client.get("/api/v1/organisations", params={"q": "wały"})
    assert api.status_code == 200
    assert api.json()["total"] == 1
