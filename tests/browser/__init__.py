"""Browser tests of the console (a package, so their stack and Chromium end with the last of them: scope="package")."""
