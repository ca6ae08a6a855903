"""Where the parcel goes, in the details panel: the delivery method, the pickup point or the
address, the recipient, the cost and, while the order is still to be sent, the date to ship
by."""

from __future__ import annotations

from PySide6.QtCore import QLocale

from allegro_desktop.api.parsing import parse_time
from allegro_desktop.domain.filters import QuickFilter, quick_filter_of
from allegro_desktop.domain.phones import phone_text
from allegro_desktop.storage.order_query import OrderDetails
from allegro_desktop.ui.formatting import country_label, date_text, datetime_text, money_text
from allegro_desktop.ui.orders.details.checkout_form import as_mapping, as_money, as_text
from allegro_desktop.ui.orders.details.section import (
    DetailsSection,
    address_lines,
    escaped,
    joined,
)

__all__ = ["DeliverySection"]


class DeliverySection(DetailsSection):
    """The delivery: from the checkout form (its address lines exist only there), else what
    the table knows (zip code, city, country)."""

    name = "delivery"

    def title_text(self) -> str:
        return self.tr("Delivery")

    def body_html(self, details: OrderDetails, locale: QLocale) -> str:
        row = details.row
        delivery = as_mapping(details.form.get("delivery"))
        method = row.delivery_method or as_text(as_mapping(delivery.get("method")).get("name"))
        lines: list[str] = []
        if method:
            lines.append(f"<b>{escaped(method)}</b>")
        address = as_mapping(delivery.get("address"))
        point = as_mapping(delivery.get("pickupPoint"))
        recipient = joined([as_text(address.get("firstName")),
                            as_text(address.get("lastName"))])
        if point:
            name = as_text(point.get("name")) or row.pickup_point_name
            point_id = as_text(point.get("id")) or row.pickup_point_id
            lines.append(self.caption(self.tr("Pickup point:")) + " "
                         + escaped(name or point_id or ""))
            if point_id and point_id != name and (name is None or point_id not in name):
                lines.append(self.caption(self.tr("Point id:")) + " " + escaped(point_id))
            if description := as_text(point.get("description")):
                lines.append(self.caption(escaped(description)))
            lines.extend(address_lines(as_mapping(point.get("address"))))
            if recipient:
                lines.append(self.caption(self.tr("Recipient:")) + " " + escaped(recipient))
        elif address:
            if recipient:
                lines.append(escaped(recipient))
            if company := as_text(address.get("companyName")):
                lines.append(escaped(company))
            lines.extend(address_lines(address))
        else:  # no form address: what the table knows
            if place := joined([row.zip_code, row.city]):
                lines.append(escaped(place))
            if row.country_code:
                lines.append(escaped(country_label(row.country_code)))
        if phone := as_text(address.get("phoneNumber")):
            lines.append(self.caption(self.tr("Phone:")) + " " + escaped(phone_text(phone)))
        if modified := parse_time(address.get("modifiedAt")):
            lines.append(self.caption(self.tr("Address changed by the buyer %1").replace(
                "%1", datetime_text(modified, locale))))
        cost = row.delivery_cost or as_money(delivery.get("cost"))
        if cost is not None:
            lines.append(self.caption(self.tr("Delivery cost:")) + " "
                         + escaped(money_text(cost, locale)))
        dispatch = as_mapping(as_mapping(delivery.get("time")).get("dispatch"))
        dispatch_by = parse_time(dispatch.get("to"))
        if dispatch_by is not None and quick_filter_of(row.status, row.fulfillment_status) in (
                QuickFilter.TO_PROCESS, QuickFilter.PROCESSING):  # still to be sent
            lines.append(self.caption(self.tr("Ship by:")) + " "
                         + escaped(date_text(dispatch_by, locale)))
        return "<br>".join(lines)
