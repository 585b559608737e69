"""ISO 4217 currency codes in use (list of 2024), so a typo such as `USS` is caught, and how an
amount and a pay figure are written for people."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from career_ladder.models import SalaryFigure

ISO_4217 = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN
    BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD
    FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY
    KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP
    MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR
    RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT
    TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER
    ZAR ZMW ZWG
    """.split()  # noqa: SIM905 - a block of codes reads better than a list of quoted strings
)

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "INR": "₹", "JPY": "¥"}


def amount_text(amount: float, currency: str) -> str:
    """An amount as its currency is written: `$150,221`; Indian rupees in lakh and crore."""
    whole = int(amount) if float(amount).is_integer() else amount
    if currency == "INR" and amount >= 100_000:
        crore = amount >= 10_000_000
        scaled = amount / (10_000_000 if crore else 100_000)
        return f"₹{scaled:,.2f}".rstrip("0").rstrip(".") + (" crore" if crore else " lakh")
    symbol = _SYMBOLS.get(currency)
    return f"{symbol}{whole:,}" if symbol else f"{whole:,} {currency}"


def figure_text(figure: SalaryFigure) -> str:
    """A figure as people read it: `$83,350 – $133,305`, or `₹26.5 lakh average`."""
    return _amounts(figure.currency, figure.min, figure.max, figure.average)


def figure_label(figure: dict[str, Any]) -> str:
    """A figure as its data has it (`diff` compares dumps), named by its amounts and its region."""
    amounts = _amounts(figure["currency"], figure.get("min"), figure.get("max"), figure.get("average"))
    return f"{amounts}, {figure['region']}" if figure.get("region") else amounts


def _amounts(currency: str, low: float | None, high: float | None, average: float | None) -> str:
    if average is not None:
        return f"{amount_text(average, currency)} average"
    assert low is not None and high is not None
    return f"{amount_text(low, currency)} – {amount_text(high, currency)}"
