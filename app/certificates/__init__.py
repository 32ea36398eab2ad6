"""Certificate files: the PDF a certificate is printed as and the signed, short-lived links
it is downloaded by (the route that serves them is HTTP's). Imports data and domain only."""
