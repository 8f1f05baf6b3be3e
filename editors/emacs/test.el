;;; test.el --- copydesk through eglot, in batch Emacs  -*- lexical-binding: t -*-
;; Run by test.sh: emacs --batch -Q -l test.el. Opens a copy of the example
;; draft with the README's eglot configuration and waits for copydesk's
;; diagnostics through Flymake. Exits 0 on success, 1 otherwise.

;; Debian's elpa-* packages (eglot, markdown-mode, and the newer project/xref
;; eglot needs), ahead of Emacs's own.
(dolist (dir (file-expand-wildcards "/usr/share/emacs/site-lisp/elpa/*"))
  (add-to-list 'load-path dir))
(require 'markdown-mode)
(require 'eglot)
(require 'flymake)

(defvar copydesk-bin (or (getenv "COPYDESK_BIN") (error "COPYDESK_BIN unset")))
(defvar copydesk-ws (getenv "COPYDESK_WS"))
(defvar copydesk-failures nil)

(defun copydesk-say (fmt &rest args)
  (princ (concat "[emacs] " (apply #'format fmt args) "\n")))

(defun copydesk-check (ok what)
  (copydesk-say "%s %s" (if ok "ok  " "FAIL") what)
  (unless ok (push what copydesk-failures)))

;; The configuration from editors/README.md, with the binary's path.
(add-to-list 'eglot-server-programs `((markdown-mode gfm-mode) . (,copydesk-bin "lsp")))
(setq-default eglot-workspace-configuration '(:copydesk (:severity (:sources-disagree "error"))))
(setq eglot-sync-connect 10)

(condition-case err
    (progn
      (find-file (expand-file-name "draft.md" copydesk-ws))
      (copydesk-check (derived-mode-p 'markdown-mode) "draft.md is in markdown-mode")
      (apply #'eglot (eglot--guess-contact))
      (let ((deadline (+ (float-time) 20)))
        (while (and (not (eglot-current-server)) (< (float-time) deadline))
          (accept-process-output nil 0.1)))
      (copydesk-check (eglot-current-server) "eglot connects to copydesk lsp")
      (let ((deadline (+ (float-time) 30)) diags)
        (while (and (< (length (setq diags (flymake-diagnostics))) 6) (< (float-time) deadline))
          (accept-process-output nil 0.1))
        (copydesk-check (= (length diags) 6) (format "6 diagnostics through Flymake (got %d)" (length diags)))
        (let ((hit (seq-find (lambda (d)
                               (and (string-match-p "43 suspects, not 34 suspects" (flymake-diagnostic-text d))
                                    (eq (flymake-diagnostic-type d) 'eglot-error)))
                             diags)))
          (copydesk-check hit "figure-mismatch \"34 suspects\" is an error")
          (when hit
            (save-excursion
              (goto-char (flymake-diagnostic-beg hit))
              (copydesk-check (and (= (line-number-at-pos) 16) (= (current-column) 26)
                                   (looking-at-p "34 suspects"))
                              (format "at line 16, column 26 (got %d:%d)" (line-number-at-pos) (current-column)))))))
      ;; The workspace configuration reached the server: sources-disagree is an
      ;; error now (examples/copydesk.toml does not set it, so the editor decides).
      (let ((deadline (+ (float-time) 15)) hit)
        (while (and (not (setq hit (seq-find (lambda (d) (and (string-match-p "sources disagree" (flymake-diagnostic-text d))
                                                              (eq (flymake-diagnostic-type d) 'eglot-error)))
                                             (flymake-diagnostics))))
                    (< (float-time) deadline))
          (flymake-start)
          (accept-process-output nil 0.2))
        (copydesk-check hit "settings: sources-disagree raised to an error through eglot-workspace-configuration"))
      ;; eglot 1.9 sends shutdown with "params": null, which the server refuses; eglot then kills it.
      (ignore-errors (eglot-shutdown (eglot-current-server))))
  (error (push (format "error: %S" err) copydesk-failures)
         (copydesk-say "FAIL error: %S" err)))

(if copydesk-failures
    (progn (copydesk-say "FAIL: %d check(s) failed" (length copydesk-failures)) (kill-emacs 1))
  (copydesk-say "PASS: Emacs %s, %s" emacs-version (file-name-nondirectory (directory-file-name (file-name-directory (locate-library "eglot")))))
  (kill-emacs 0))
