"""The Textual user interface of biotui; start it with ``biotui.app.app.BiotuiApp``."""
