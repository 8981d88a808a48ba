"""Ways to pay: one module per method behind one declared interface (base.PaymentMethod).

Each method reads its own fields from site.toml, says which currencies it takes, and turns an
invoice's amount into a link, a QR payload and details to copy. The registry lists them."""
