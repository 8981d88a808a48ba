"""Russian and Afrikaans (formal "u") for the printed invoice and receipt (issue 12), for
`python tools/catalogs.py --fill tools/translations_letter.py`."""

RU = {
    "%(amount)s if paid by %(date)s": "%(amount)s при оплате до %(date)s",
    "%(amount)s was due on %(date)s: please pay it now":
        "срок оплаты %(amount)s истёк %(date)s: пожалуйста, оплатите сейчас",
    "%(start)s to %(end)s": "с %(start)s по %(end)s",
    "Brought forward": "Перенос с предыдущей страницы",
    "Carried forward": "Перенос на следующую страницу",
    "Date of supply": "Дата поставки",
    "Download the receipt": "Скачать квитанцию",
    "Export outside the EU: exempt from VAT (Article 146, Council Directive 2006/112/EC).":
        "Экспорт за пределы ЕС: освобождено от НДС (ст. 146 Директивы Совета 2006/112/ЕС).",
    "Invoice date": "Дата счёта",
    "No VAT charged: small-business exemption (Article 284, Council Directive 2006/112/EC).":
        "НДС не начисляется: освобождение для малого бизнеса (ст. 284 Директивы Совета "
        "2006/112/ЕС).",
    "Not subject to VAT in the seller's country (place of supply outside it).":
        "Не облагается НДС в стране продавца (место реализации за её пределами).",
    "Our VAT number": "Наш номер плательщика НДС",
    "Paid in full on %(date)s by %(method)s.":
        "Оплачено полностью %(date)s, способ оплаты: %(method)s.",
    "Paid in full on %(date)s.": "Оплачено полностью %(date)s",
    "Paid in full on %(date)s. Thank you.": "Оплачено полностью %(date)s Спасибо!",
    "Paid in full on %(date)s: %(amount)s.": "Оплачено полностью %(date)s: %(amount)s.",
    "Paid in full. Thank you.": "Оплачено полностью. Спасибо!",
    "Paid on %(date)s": "Оплачено %(date)s",
    "Pay in full by %(date)s and we refund %(percent)s (%(amount)s).":
        "При полной оплате до %(date)s мы вернём %(percent)s (%(amount)s).",
    "Please pay %(offers)s, %(rest)s.": "Пожалуйста, оплатите %(offers)s, %(rest)s.",
    "Receipt": "Квитанция",
    "Receipt %(number)s for invoice %(invoice)s": "Квитанция %(number)s к счёту %(invoice)s",
    "Receipt number": "Номер квитанции",
    "Reverse charge: the customer accounts for the VAT (Article 196, Council Directive "
    "2006/112/EC).":
        "Обратное начисление: НДС уплачивает покупатель (ст. 196 Директивы Совета 2006/112/ЕС).",
    "Scan to pay.": "Отсканируйте, чтобы оплатить.",
    "Scan with your banking app.": "Отсканируйте в банковском приложении.",
    "Seller": "Продавец",
    "Service period": "Период оказания услуг",
    "Tax invoice": "Счёт-фактура",
    "Thank you.": "Спасибо!",
    "This receipt confirms payment of invoice %(number)s of %(date)s, total %(total)s.":
        "Квитанция подтверждает оплату счёта %(number)s от %(date)s на сумму %(total)s.",
    "Total received": "Всего получено",
    "Your VAT number": "Ваш номер плательщика НДС",
    "Your reference": "Ваш номер документа",
    "otherwise %(amount)s by %(date)s": "иначе %(amount)s до %(date)s",
    "please pay %(amount)s by %(date)s": "пожалуйста, оплатите %(amount)s до %(date)s",
    "then %(amount)s by %(date)s": "затем %(amount)s до %(date)s",
}
AF = {
    "%(amount)s if paid by %(date)s": "%(amount)s indien u teen %(date)s betaal",
    "%(amount)s was due on %(date)s: please pay it now":
        "%(amount)s was op %(date)s betaalbaar: betaal dit asseblief nou",
    "%(start)s to %(end)s": "%(start)s tot %(end)s",
    "Brought forward": "Oorgebring",
    "Carried forward": "Oorgedra",
    "Date of supply": "Leweringsdatum",
    "Download the receipt": "Laai die kwitansie af",
    "Export outside the EU: exempt from VAT (Article 146, Council Directive 2006/112/EC).":
        "Uitvoer buite die EU: vrygestel van BTW (Artikel 146, Raadsriglyn 2006/112/EG).",
    "Invoice date": "Faktuurdatum",
    "No VAT charged: small-business exemption (Article 284, Council Directive 2006/112/EC).":
        "Geen BTW gehef nie: kleinsakevrystelling (Artikel 284, Raadsriglyn 2006/112/EG).",
    "Not subject to VAT in the seller's country (place of supply outside it).":
        "Nie onderhewig aan BTW in die verkoper se land nie (plek van lewering buite die land).",
    "Our VAT number": "Ons BTW-nommer",
    "Paid in full on %(date)s by %(method)s.": "Ten volle betaal op %(date)s per %(method)s.",
    "Paid in full on %(date)s.": "Ten volle betaal op %(date)s.",
    "Paid in full on %(date)s. Thank you.": "Ten volle betaal op %(date)s. Baie dankie.",
    "Paid in full on %(date)s: %(amount)s.": "Ten volle betaal op %(date)s: %(amount)s.",
    "Paid in full. Thank you.": "Ten volle betaal. Baie dankie.",
    "Paid on %(date)s": "Betaal op %(date)s",
    "Pay in full by %(date)s and we refund %(percent)s (%(amount)s).":
        "Betaal die volle bedrag teen %(date)s en ons betaal %(percent)s (%(amount)s) aan u terug.",
    "Please pay %(offers)s, %(rest)s.": "Betaal asseblief %(offers)s, %(rest)s.",
    "Receipt": "Kwitansie",
    "Receipt %(number)s for invoice %(invoice)s": "Kwitansie %(number)s vir faktuur %(invoice)s",
    "Receipt number": "Kwitansienommer",
    "Reverse charge: the customer accounts for the VAT (Article 196, Council Directive "
    "2006/112/EC).":
        "Omgekeerde heffing: die kliënt is aanspreeklik vir die BTW (Artikel 196, Raadsriglyn "
        "2006/112/EG).",
    "Scan to pay.": "Skandeer om te betaal.",
    "Scan with your banking app.": "Skandeer met u banktoep.",
    "Seller": "Verkoper",
    "Service period": "Diensperiode",
    "Tax invoice": "Belastingfaktuur",
    "Thank you.": "Baie dankie.",
    "This receipt confirms payment of invoice %(number)s of %(date)s, total %(total)s.":
        "Hierdie kwitansie bevestig betaling van faktuur %(number)s van %(date)s, totaal "
        "%(total)s.",
    "Total received": "Totaal ontvang",
    "Your VAT number": "U BTW-nommer",
    "Your reference": "U verwysing",
    "otherwise %(amount)s by %(date)s": "andersins %(amount)s teen %(date)s",
    "please pay %(amount)s by %(date)s": "betaal asseblief %(amount)s teen %(date)s",
    "then %(amount)s by %(date)s": "daarna %(amount)s teen %(date)s",
}
