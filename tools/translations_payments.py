"""Russian and Afrikaans for the payment section (issue 3), in the form tools/catalogs.py --fill
takes: after a merge that conflicts in the catalogs, take either side and re-run
`.venv/bin/python tools/catalogs.py --fill tools/translations_payments.py`."""

RU = {
    "How to pay": "Как оплатить",
    "Pay %(amount)s": "Оплатить %(amount)s",
    "Other ways to pay": "Другие способы оплаты",
    "Bank transfer (SEPA)": "Банковский перевод (SEPA)",
    "Bank transfer": "Банковский перевод",
    "Swiss QR-bill": "Швейцарский QR-счёт",
    "Card payment (Stripe)": "Оплата картой (Stripe)",
    "Pay online": "Оплатить онлайн",
    "Account holder": "Получатель",
    "Bank": "Банк",
    "Account number": "Номер банковского счёта",
    "Branch code": "Код отделения",
    "Sort code": "Код банка (sort code)",
    "Routing number": "Код банка (routing number)",
    "Account type": "Тип счёта",
    "Message": "Сообщение",
    "UPI ID": "UPI ID",
    "Bitcoin address": "Биткоин-адрес",
    "Amount in bitcoin": "Сумма в биткоинах",
    "QR code": "QR-код",
    "Scan the code with your banking app: it fills in the account, the amount and the reference.":
        "Отсканируйте код в приложении вашего банка: реквизиты, сумма и назначение платежа "
        "заполнятся сами.",
    "Scan the QR-bill with your Swiss banking app.":
        "Отсканируйте QR-счёт в приложении вашего швейцарского банка.",
    "Scan the code with any UPI app.": "Отсканируйте код в любом приложении UPI.",
    "Scan the code with your Bitcoin wallet.": "Отсканируйте код своим биткоин-кошельком.",
    "Scan the code with your phone's camera to open the payment page.":
        "Наведите камеру телефона на код, чтобы открыть страницу оплаты.",
    "Copy": "Копировать",
    "Copied": "Скопировано",
}
AF = {
    "How to pay": "Hoe om te betaal",
    "Pay %(amount)s": "Betaal %(amount)s",
    "Other ways to pay": "Ander betaalmetodes",
    "Bank transfer (SEPA)": "Bankoorplasing (SEPA)",
    "Bank transfer": "Bankoorplasing",
    "Swiss QR-bill": "Switserse QR-rekening",
    "Card payment (Stripe)": "Kaartbetaling (Stripe)",
    "Pay online": "Betaal aanlyn",
    "Account holder": "Rekeninghouer",
    "Bank": "Bank",
    "Account number": "Rekeningnommer",
    "Branch code": "Takkode",
    "Sort code": "Sorteerkode",
    "Routing number": "Roeteringsnommer",
    "Account type": "Rekeningtipe",
    "Message": "Boodskap",
    "UPI ID": "UPI-ID",
    "Bitcoin address": "Bitcoin-adres",
    "Amount in bitcoin": "Bedrag in bitcoin",
    "QR code": "QR-kode",
    "Scan the code with your banking app: it fills in the account, the amount and the reference.":
        "Skandeer die kode met u banktoep: dit vul die rekening, die bedrag en die verwysing vir "
        "u in.",
    "Scan the QR-bill with your Swiss banking app.":
        "Skandeer die QR-rekening met u Switserse banktoep.",
    "Scan the code with any UPI app.": "Skandeer die kode met enige UPI-toep.",
    "Scan the code with your Bitcoin wallet.": "Skandeer die kode met u Bitcoin-beursie.",
    "Scan the code with your phone's camera to open the payment page.":
        "Skandeer die kode met u foon se kamera om die betaalbladsy oop te maak.",
    "Copy": "Kopieer",
    "Copied": "Gekopieer",
}
