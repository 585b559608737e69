"""ISO 4217 currency codes in use (list of 2024), so a typo such as `USS` is caught, and how an
amount and a pay figure are written for people."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
    if figure.average is not None:
        return f"{amount_text(figure.average, figure.currency)} average"
    assert figure.min is not None and figure.max is not None
    return f"{amount_text(figure.min, figure.currency)} – {amount_text(figure.max, figure.currency)}"
