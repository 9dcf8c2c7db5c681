"""Label files: an A6 PDF (with a Code 128 barcode) or ZPL II text."""

import io

from reportlab.graphics.barcode import code128
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

A6 = (105 * mm, 148 * mm)


def _customer_lines(label):
    name = " ".join(
        p
        for p in (label.get("recipient_first_name"), label.get("recipient_last_name"))
        if p
    )
    street = " ".join(
        p for p in (label.get("recipient_street"), label.get("recipient_house_no")) if p
    )
    lines = [name, label.get("recipient_company_name"), street]
    lines.append(label.get("recipient_address_details"))
    if label.get("pudo_id"):
        kind = (
            "Drop-off point: "
            if label["return_parcel"] == "return"
            else "Pickup point: "
        )
        lines.append(kind + (label.get("collection_point_name1") or label["pudo_id"]))
    lines.append(f"{label.get('recipient_zip', '')} {label.get('recipient_city', '')}")
    lines.append(label.get("recipient_country"))
    return [line for line in lines if line]


def _warehouse_lines(label):
    lines = [
        label.get("sender_company_name") or label.get("warehouse") or "Sender",
        label.get("warehouse_address")
        or " ".join(
            p for p in (label.get("sender_street"), label.get("sender_house_no")) if p
        ),
        " ".join(p for p in (label.get("sender_zip"), label.get("sender_city")) if p),
        label.get("sender_country"),
    ]
    return [line for line in lines if line]


def _from_to(label):
    """``(from lines, to lines)``: an outbound parcel goes from the warehouse
    to the customer (the label's recipient), a return the other way."""
    if label["return_parcel"] == "return":
        return _customer_lines(label), _warehouse_lines(label)
    return _warehouse_lines(label), _customer_lines(label)


def render_pdf(label):
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A6, invariant=1, pageCompression=0)
    width, height = A6
    pdf.setTitle(f"Seven Senders label {label['tracking_code']}")
    pdf.setFont("Helvetica-Bold", 14)
    carrier = label["carrier"]
    pdf.drawString(
        8 * mm, height - 12 * mm, f"{carrier['name'].upper()} ({carrier['country']})"
    )
    if label["return_parcel"] == "return":
        pdf.drawRightString(width - 8 * mm, height - 12 * mm, "RETURN")
    pdf.setFont("Helvetica", 7)
    y = height - 20 * mm
    sender, addressee = _from_to(label)
    pdf.drawString(8 * mm, y, "From:")
    for line in sender:
        y -= 3.2 * mm
        pdf.drawString(12 * mm, y, line[:70])
    y -= 7 * mm
    pdf.setFont("Helvetica-Bold", 9)
    pdf.drawString(8 * mm, y, "To:")
    pdf.setFont("Helvetica", 10)
    for line in addressee:
        y -= 4.5 * mm
        pdf.drawString(12 * mm, y, line[:55])
    barcode = code128.Code128(
        label["tracking_code"], barHeight=22 * mm, barWidth=0.38 * mm
    )
    barcode.drawOn(pdf, 8 * mm, 24 * mm)
    pdf.setFont("Helvetica-Bold", 11)
    pdf.drawCentredString(width / 2, 18 * mm, label["tracking_code"])
    pdf.setFont("Helvetica", 7)
    pdf.drawString(
        8 * mm, 10 * mm, f"Ref: {label['reference_number']}  Order: {label['order_id']}"
    )
    pdf.drawString(8 * mm, 6 * mm, "Seven Senders sandbox - not a valid shipping label")
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def render_zpl(label, dpi=203):
    scale = dpi / 203
    lines = ["^XA", "^CI28", f"^PW{int(812 * scale)}"]

    def text(x, y, size, value):
        lines.append(
            f"^FO{int(x * scale)},{int(y * scale)}^A0N,{int(size * scale)},"
            f"{int(size * scale)}^FD{value}^FS"
        )

    carrier = label["carrier"]
    text(40, 40, 50, f"{carrier['name'].upper()} ({carrier['country']})")
    if label["return_parcel"] == "return":
        text(600, 40, 50, "RETURN")
    sender, addressee = _from_to(label)
    y = 120
    for line in sender:
        text(40, y, 24, line)
        y += 30
    y += 30
    for line in addressee:
        text(40, y, 36, line)
        y += 44
    lines.append(
        f"^FO{int(40 * scale)},{int(820 * scale)}^BY3^BCN,{int(180 * scale)},Y,N,N"
        f"^FD{label['tracking_code']}^FS"
    )
    text(40, 1100, 24, f"Ref: {label['reference_number']} Order: {label['order_id']}")
    lines.append("^XZ")
    return ("\n".join(lines) + "\n").encode()


def render(label):
    fmt = label["format"]
    if fmt == "pdf":
        return render_pdf(label), "application/pdf"
    return render_zpl(label, 300 if fmt == "zpl300" else 203), "application/zpl"
