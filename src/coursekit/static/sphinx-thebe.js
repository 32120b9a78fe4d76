/* Thebe (live kernels in the page) is switched off: the book runs no kernel. Graded exercises link to
 * JupyterHub and Binder instead, and practice exercises run in plain JavaScript (coursekit-book.js).
 * This file replaces sphinx-thebe's script, whose second declaration of THEBE_JS_URL raised an error. */
