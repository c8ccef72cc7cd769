"""What the supervision forms choose from, read through the gateway: the enterprises in the person's scope, an
enterprise's hazards, its registered head and deputies, the districts warnings can name, closed orders."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from wtforms import SelectChoice

from console import gateway_api
from console.filters import named
from console.gateway_api import Refused

ENTERPRISE = "enterprise"  # hazards, orders and warnings concern enterprises (生产经营单位) only


def enterprises() -> list[dict]:
    """Every enterprise in the person's scope, by code."""
    return sorted(gateway_api.all_pages("/orgs", kind=ENTERPRISE), key=lambda org: org.get("code") or "")


def enterprise_choices(orgs: list[dict], *, blank: str) -> list[SelectChoice]:
    return [SelectChoice("", blank), *(SelectChoice(org["id"], named(org)) for org in orgs)]


def districts(orgs: list[dict]) -> list[str]:
    """The districts the enterprises lie in, each once, in the order of their names."""
    return sorted({org["district"] for org in orgs if org.get("district")})


def hazards_of(org_id: str) -> list[dict]:
    """An enterprise's hazards, most recently found first."""
    found = gateway_api.all_pages("/hazards", org_id=org_id)
    return sorted(found, key=lambda hazard: hazard.get("found_at") or "", reverse=True)


def closed_orders(org_id: str | None = None) -> list[dict]:
    """The closed (销号) orders a look-back may re-check, by code."""
    found = gateway_api.all_pages("/rectification-orders", status="closed", org_id=org_id)
    return sorted(found, key=lambda order: order.get("code") or "")


@dataclass(frozen=True)
class Signer:
    """A person registered on an organisation who may sign for its orders."""

    position: str  # principal (一把手) or deputy (分管领导)
    name: str
    title: str | None

    @property
    def value(self) -> str:
        """How the choice travels in the form: the position, then the name (names hold no tab)."""
        return f"{self.position}\t{self.name}"


def signers(org_id: str) -> list[Signer] | None:
    """The head and deputies in charge registered on the organisation; None when the directory does not answer
    the person (then the name is typed) or names nobody."""
    try:
        org = gateway_api.get(f"/orgs/{org_id}")
    except Refused:
        return None
    found = [Signer("principal", org["principal"]["name"], org["principal"].get("title"))] \
        if (org.get("principal") or {}).get("name") else []
    found += [Signer("deputy", deputy["name"], deputy.get("title")) for deputy in org.get("deputies") or []
              if deputy.get("name")]
    return found or None


def signer_label(signer: Signer, position_word: str) -> str:
    """`王建国 (总经理) · 一把手`: who, with the title registered, and as what they sign."""
    if signer.title:
        return _("%(name)s (%(title)s) · %(position)s", name=signer.name, title=signer.title, position=position_word)
    return _("%(name)s · %(position)s", name=signer.name, position=position_word)
