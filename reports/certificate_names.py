"""How the portal names a certificate's subject or issuer, and recognises its demo authority."""

from cryptography import x509
from cryptography.x509.oid import NameOID

# The demo CA and its signing certificate carry organizationalUnitName "DEMO"
# (reports.outputs.demo_authority): the portal and anyone reading the certificate see it.
DEMO_UNIT = "DEMO"


def readable_name(name: x509.Name) -> str:
    """ "CN=…,OU=…,O=…,C=VN": most specific first, as certificate viewers show it."""
    return name.rfc4514_string()


def organisation_name(name: x509.Name) -> str:
    """The organisation (O), else the common name (CN): what the signature stamp prints."""
    for oid in (NameOID.ORGANIZATION_NAME, NameOID.COMMON_NAME):
        found = name.get_attributes_for_oid(oid)
        if found:
            return str(found[0].value)
    return readable_name(name)


def is_demo_name(name: x509.Name) -> bool:
    units = name.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
    return any(unit.value == DEMO_UNIT for unit in units)
