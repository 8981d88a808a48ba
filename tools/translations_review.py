"""Russian and Afrikaans as a native reviewer corrected them (issue 14): calques rewritten,
one term per idea ("счёт" is the invoice, "банковский счёт" the account), the Afrikaans
formal and without Dutch or English words. In the form tools/catalogs.py --fill takes: after
a merge that conflicts in the catalogs, take either side and re-run
`.venv/bin/python tools/catalogs.py --fill tools/translations_review.py`."""

RU = {
    "Account number": "Номер банковского счёта",
    "Pay %(price)s instead of %(full)s by %(date)s: %(percent)s%% off for paying early.":
        "При оплате до %(date)s — %(price)s вместо %(full)s: скидка %(percent)s%% за раннюю "
        "оплату.",
    "Pay by %(date)s and get %(percent)s%% (%(cashback)s) back.":
        "При оплате до %(date)s вы получите обратно %(percent)s%% (%(cashback)s).",
    "Paid in full on %(date)s.": "Оплачено полностью %(date)s",
    "Paid in full on %(date)s. Thank you.": "Оплачено полностью %(date)s Спасибо!",
    "Scan the code with your banking app: it fills in the account, the amount and the reference.":
        "Отсканируйте код в приложении вашего банка: реквизиты, сумма и назначение платежа "
        "заполнятся сами.",
    "%(amount)s was due on %(date)s": "%(amount)s — срок оплаты истёк %(date)s",
    "(this date has passed)": "(эта дата уже прошла)",
    "A friendly reminder about invoice %(number)s from %(seller)s: %(terms)s. If you have already "
    "paid, thank you, and please ignore this message.":
        "Напоминаем о счёте %(number)s от %(seller)s: %(terms)s. Если вы уже оплатили его, "
        "спасибо — в этом случае просто не обращайте внимания на это сообщение.",
    "A private invoice: only the whole link opens it.":
        "Счёт нигде не опубликован: открыть его можно только по полной ссылке.",
    "Brought forward": "Перенос с предыдущей страницы",
    "Carried forward": "Перенос на следующую страницу",
    "Dear %(name)s, %(amount)s is due today, %(date)s. If you have already paid, thank you, and "
    "please ignore this reminder.":
        "Здравствуйте, %(name)s! Сегодня, %(date)s, истекает срок оплаты суммы %(amount)s. Если "
        "вы уже оплатили — спасибо, просто не обращайте внимания на это напоминание.",
    "Dear %(name)s, %(amount)s was due on %(date)s, %(relative)s, and has not reached us yet. "
    "Please pay it with any of the options below, or let us know if something is holding it up.":
        "Здравствуйте, %(name)s! Срок оплаты суммы %(amount)s истёк %(date)s (%(relative)s), но "
        "платёж до нас пока не дошёл. Пожалуйста, оплатите её любым из способов ниже или сообщите "
        "нам, если что-то мешает оплате.",
    "Dear %(name)s, %(amount)s was due on %(date)s, %(relative)s, and we have not received it "
    "yet. If it is on its way, thank you; if not, you can pay below in one step.":
        "Здравствуйте, %(name)s! Срок оплаты суммы %(amount)s истёк %(date)s (%(relative)s), и мы "
        "пока не получили платёж. Если он уже в пути — спасибо; если нет, оплатить можно прямо "
        "здесь, ниже.",
    "Dear %(name)s, a friendly reminder: %(amount)s is due %(relative)s, on %(date)s. Paying "
    "takes a minute with the options below.":
        "Здравствуйте, %(name)s! Напоминаем: сумму %(amount)s нужно оплатить %(relative)s "
        "(%(date)s). Оплата займёт минуту — способы указаны ниже.",
    "Dear %(name)s, thank you for your payment of %(paid)s. The next payment, %(amount)s, is due "
    "by %(date)s.":
        "Здравствуйте, %(name)s! Спасибо за платёж на сумму %(paid)s. Следующий платёж, "
        "%(amount)s, нужно внести до %(date)s",
    "Dear %(name)s, thank you for your payment of %(paid)s. The remaining %(amount)s is due by "
    "%(date)s.":
        "Здравствуйте, %(name)s! Спасибо за платёж на сумму %(paid)s. Оставшиеся %(amount)s нужно "
        "оплатить до %(date)s",
    "Dear %(name)s, thank you! We have received your payment of %(paid)s in full. This page is "
    "your receipt.":
        "Здравствуйте, %(name)s! Спасибо! Мы получили ваш платёж на сумму %(paid)s, счёт оплачен "
        "полностью. Эта страница служит квитанцией.",
    "Early-payment offer": "Выгода при ранней оплате",
    "Loads from %(host)s when you click.": "Загрузится с %(host)s только после нажатия.",
    "Method": "Способ оплаты",
    "Paid on %(date)s": "Оплачено %(date)s",
    "Play the video message from %(name)s": "Посмотреть видеосообщение от %(name)s",
    "Please enter the passphrase %(name)s gave you.":
        "Пожалуйста, введите пароль, полученный от %(name)s.",
    "Reference": "Назначение платежа",
    "Statement for %(name)s as of %(date)s": "Сводка по счетам для %(name)s на %(date)s",
    "Statement of account": "Сводка по счетам",
    "Tax": "НДС",
    "That passphrase is not right. Please try again.":
        "Неверный пароль. Пожалуйста, попробуйте ещё раз.",
    "The invoice is encrypted, and this browser cannot decrypt it. Please open the link in an "
    "up-to-date browser, or ask %(name)s to send the invoice another way.":
        "Счёт зашифрован, а этот браузер не может его расшифровать. Пожалуйста, откройте ссылку в "
        "современном браузере или попросите %(name)s прислать счёт другим способом.",
}
AF = {
    "%(paid)s paid, %(remaining)s to go": "%(paid)s betaal, nog %(remaining)s uitstaande",
    "A friendly reminder about invoice %(number)s from %(seller)s: %(terms)s. If you have already "
    "paid, thank you, and please ignore this message.":
        "’n Vriendelike herinnering oor faktuur %(number)s van %(seller)s: %(terms)s. As u reeds "
        "betaal het, baie dankie; sien dan asseblief hierdie boodskap oor die hoof.",
    ('Add the due date to your calendar', 'Add the due dates to your calendar'):
        ['Voeg die vervaldatum by u kalender', 'Voeg die vervaldatums by u kalender'],
    "Amount due": "Verskuldigde bedrag",
    "Balance due": "Verskuldigde saldo",
    "Dear %(name)s, %(amount)s due on %(date)s is still outstanding, now for more than a month "
    "(%(relative)s). Please pay it with one of the options below or contact us; we are glad to "
    "agree a plan.":
        "Beste %(name)s, %(amount)s wat op %(date)s betaalbaar was, is nou al meer as ’n maand "
        "uitstaande (%(relative)s). Betaal dit asseblief met een van die opsies hieronder of "
        "kontak ons; ons reël graag ’n betalingsplan met u.",
    "Dear %(name)s, %(amount)s is due by %(date)s. You can pay at any time before then, by link, "
    "QR code or bank transfer, as shown below.":
        "Beste %(name)s, %(amount)s is betaalbaar teen %(date)s. U kan enige tyd voor dan betaal "
        "met die skakel, QR-kode of bankoorplasing hieronder.",
    "Dear %(name)s, %(amount)s is due today, %(date)s. If you have already paid, thank you, and "
    "please ignore this reminder.":
        "Beste %(name)s, %(amount)s is vandag, %(date)s, betaalbaar. As u reeds betaal het, baie "
        "dankie; sien dan asseblief hierdie herinnering oor die hoof.",
    "Dear %(name)s, thank you for your payment of %(paid)s. The remaining %(amount)s is due by "
    "%(date)s.":
        "Beste %(name)s, baie dankie vir u betaling van %(paid)s. Die oorblywende %(amount)s is "
        "betaalbaar teen %(date)s.",
    "Export outside the EU: exempt from VAT (Article 146, Council Directive 2006/112/EC).":
        "Uitvoer buite die EU: vrygestel van BTW (Artikel 146, Raadsriglyn 2006/112/EG).",
    "No VAT charged: small-business exemption (Article 284, Council Directive 2006/112/EC).":
        "Geen BTW gehef nie: kleinsakevrystelling (Artikel 284, Raadsriglyn 2006/112/EG).",
    "Reverse charge: the customer accounts for the VAT (Article 196, Council Directive "
    "2006/112/EC).":
        "Omgekeerde heffing: die kliënt is aanspreeklik vir die BTW (Artikel 196, Raadsriglyn "
        "2006/112/EG).",
    "Hello %(name)s,": "Goeiedag %(name)s,",
    "Hello,": "Goeiedag,",
    "Invoices from %(name)s are shared privately, each at its own link. If you are looking for an "
    "invoice, please use the link you received.":
        "Fakture van %(name)s word privaat gedeel, elkeen met sy eie skakel. As u ’n faktuur "
        "soek, gebruik asseblief die skakel wat u ontvang het.",
    "Leave a review": "Skryf ’n resensie",
    "The offer applies when you also leave a short review:":
        "Die aanbod geld as u ook ’n kort resensie skryf:",
    "Method": "Betaalmetode",
    "Open": "Uitstaande",
    "Other ways to pay": "Ander betaalmetodes",
    "Paid": "Reeds betaal",
    "Payments received": "Ontvangde betalings",
    "Play the video message from %(name)s": "Speel die videoboodskap van %(name)s af",
    "Scan the QR-bill with your Swiss banking app.":
        "Skandeer die QR-rekening met u Switserse banktoep.",
    "Scan the code with any UPI app.": "Skandeer die kode met enige UPI-toep.",
    "Scan the code with your banking app: it fills in the account, the amount and the reference.":
        "Skandeer die kode met u banktoep: dit vul die rekening, die bedrag en die verwysing vir "
        "u in.",
    "Scan the code with your phone's camera to open the payment page.":
        "Skandeer die kode met u foon se kamera om die betaalbladsy oop te maak.",
    "Scan with your banking app.": "Skandeer met u banktoep.",
    "Skip to content": "Spring na inhoud",
    "Statement for %(name)s as of %(date)s": "Rekeningstaat vir %(name)s op %(date)s",
    "That passphrase is not right. Please try again.":
        "Die wagfrase is verkeerd. Probeer asseblief weer.",
    "This invoice opens with JavaScript": "Hierdie faktuur word met JavaScript oopgemaak",
}
