;;; test.el --- Emacs (eglot) against durable-lsp, in batch mode  -*- lexical-binding: t; -*-
;; The README's eglot snippet, loaded as a user would, then: attach to an
;; app, wait for our diagnostics, ask for completion. Run by run.sh.
;; Debian installs eglot as a system ELPA package: activate packages as an init file would.
(require 'package)
(package-initialize)
(require 'eglot)
(require 'flymake)

(defvar durable-test-failures 0)
(defun durable-test-check (ok what)
  (princ (format "%s %s\n" (if ok "ok  " "FAIL") what))
  (unless ok (setq durable-test-failures (1+ durable-test-failures))))

(let ((bin (getenv "DURABLE_LSP")) (app (getenv "APP")))
  ;; The README snippet (with the binary under test).
  (add-to-list 'auto-mode-alist '("\\(host\\|local\\.settings\\)\\.json\\'" . js-mode))
  (add-to-list 'auto-mode-alist '("\\.csproj\\'" . nxml-mode))
  (add-to-list 'eglot-server-programs `((js-mode nxml-mode) . (,bin "--stdio")))

  (find-file (expand-file-name "host.json" app))
  (eglot-ensure)
  ;; In batch mode eglot-ensure waits for the command loop: start it now.
  (unless (eglot-current-server)
    (apply #'eglot (eglot--guess-contact)))
  (durable-test-check (eglot-current-server) "eglot connected to durable-lsp")
  (let ((deadline (+ (float-time) 20)) diagnostics)
    (while (and (< (float-time) deadline)
                (not (setq diagnostics (flymake-diagnostics))))
      (accept-process-output nil 0.1))
    (let ((texts (mapconcat #'flymake-diagnostic-text diagnostics "\n")))
      (princ (format "diagnostics:\n%s\n" texts))
      (durable-test-check (string-match-p "hubName" texts) "a diagnostic about the missing hubName (H021)")
      (durable-test-check (string-match-p "AzureManaged" texts) "a diagnostic about the missing provider package (H007)")))
  ;; Completion in the "type" value.
  (goto-char (point-min))
  (search-forward "\"azure")
  (let* ((capf (eglot-completion-at-point))
         (table (nth 2 capf))
         (candidates (and table (all-completions "" table))))
    (durable-test-check (member "azureManaged" candidates)
                        (format "completion offers azureManaged (%S)" (seq-take candidates 3))))
  (eglot-shutdown (eglot-current-server))
  (kill-emacs (if (zerop durable-test-failures) 0 1)))
