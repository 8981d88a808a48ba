"""Stage 4: turn views into files (HTML pages now; QR codes and PDFs plug in beside)."""
