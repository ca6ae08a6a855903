<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pl_PL" sourcelanguage="en">
<context>
    <name>AccountsController</name>
    <message>
        <source>Allegro Desktop</source>
        <translation>Allegro Desktop</translation>
    </message>
</context>
<context>
    <name>AppearancePage</name>
    <message>
        <source>System language</source>
        <translation>Język systemu</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Język:</translation>
    </message>
    <message>
        <source>The new language is used from the next start of the app.</source>
        <translation>Nowy język zostanie użyty od następnego uruchomienia aplikacji.</translation>
    </message>
    <message>
        <source>System</source>
        <translation>Systemowy</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Jasny</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Ciemny</translation>
    </message>
    <message>
        <source>Theme:</source>
        <translation>Motyw:</translation>
    </message>
</context>
<context>
    <name>BackupController</name>
    <message>
        <source>Back up the orders</source>
        <translation>Kopia zapasowa zamówień</translation>
    </message>
    <message>
        <source>Allegro Desktop backups (*.sqlite3)</source>
        <translation>Kopie zapasowe Allegro Desktop (*.sqlite3)</translation>
    </message>
    <message>
        <source>Backing up the orders…</source>
        <translation>Tworzenie kopii zapasowej zamówień…</translation>
    </message>
    <message numerus="yes">
        <source>Backed up %Ln order(s) to:
%1
The backup was checked and is complete.</source>
        <translation>
            <numerusform>Zapisano %Ln zamówienie w kopii zapasowej:
%1
Kopia została sprawdzona i jest kompletna.</numerusform>
            <numerusform>Zapisano %Ln zamówienia w kopii zapasowej:
%1
Kopia została sprawdzona i jest kompletna.</numerusform>
            <numerusform>Zapisano %Ln zamówień w kopii zapasowej:
%1
Kopia została sprawdzona i jest kompletna.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BulkProgressDialog</name>
    <message>
        <source>Order</source>
        <translation>Zamówienie</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Stan</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Powód</translation>
    </message>
    <message>
        <source>Cancel the rest</source>
        <translation>Anuluj resztę</translation>
    </message>
    <message>
        <source>Discard what has not been sent to Allegro yet (what was sent stays)</source>
        <translation>Odrzuć to, czego jeszcze nie wysłano do Allegro (to, co wysłano, zostaje)</translation>
    </message>
    <message>
        <source>Close this window; what is queued is still sent</source>
        <translation>Zamknij to okno; to, co czeka w kolejce, i tak zostanie wysłane</translation>
    </message>
    <message>
        <source>%1 of %2 done</source>
        <translation>Gotowe: %1 z %2</translation>
    </message>
    <message numerus="yes">
        <source>%n sent</source>
        <translation>
            <numerusform>%n wysłane</numerusform>
            <numerusform>%n wysłane</numerusform>
            <numerusform>%n wysłanych</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n nieudane</numerusform>
            <numerusform>%n nieudane</numerusform>
            <numerusform>%n nieudanych</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n not possible</source>
        <translation>
            <numerusform>%n niemożliwe</numerusform>
            <numerusform>%n niemożliwe</numerusform>
            <numerusform>%n niemożliwych</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n to be tried again</source>
        <translation>
            <numerusform>%n do ponowienia</numerusform>
            <numerusform>%n do ponowienia</numerusform>
            <numerusform>%n do ponowienia</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n cancelled</source>
        <translation>
            <numerusform>%n anulowane</numerusform>
            <numerusform>%n anulowane</numerusform>
            <numerusform>%n anulowanych</numerusform>
        </translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>W kolejce</translation>
    </message>
    <message>
        <source>Sent to Allegro</source>
        <translation>Wysłano do Allegro</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Nieudane</translation>
    </message>
    <message>
        <source>Not possible</source>
        <translation>Niemożliwe</translation>
    </message>
    <message>
        <source>Waiting, tried again later</source>
        <translation>Czeka, zostanie ponowione później</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Anulowane</translation>
    </message>
</context>
<context>
    <name>BuyerMessageSection</name>
    <message>
        <source>Message from the buyer</source>
        <translation>Wiadomość od kupującego</translation>
    </message>
</context>
<context>
    <name>BuyerSection</name>
    <message>
        <source>Buyer</source>
        <translation>Kupujący</translation>
    </message>
    <message>
        <source>Guest purchase (no Allegro account)</source>
        <translation>Zakup jako gość (bez konta Allegro)</translation>
    </message>
    <message>
        <source>Login:</source>
        <translation>Login:</translation>
    </message>
    <message>
        <source>Phone:</source>
        <translation>Telefon:</translation>
    </message>
</context>
<context>
    <name>ConnectDialog</name>
    <message>
        <source>Connect Allegro</source>
        <translation>Połącz z Allegro</translation>
    </message>
    <message>
        <source>Connect your Allegro account</source>
        <translation>Połącz swoje konto Allegro</translation>
    </message>
    <message>
        <source>on %1</source>
        <translation>Środowisko: %1</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Spróbuj ponownie</translation>
    </message>
    <message>
        <source>Asking Allegro for a code…</source>
        <translation>Pobieranie kodu z Allegro…</translation>
    </message>
    <message>
        <source>1. Open Allegro with the button below, or scan the QR code with your phone.&lt;br&gt;2. Log in if asked, check that Allegro shows this code, and click &lt;b&gt;Pozwól&lt;/b&gt; (Allow).</source>
        <translation>1. Otwórz Allegro przyciskiem poniżej albo zeskanuj kod QR telefonem.&lt;br&gt;2. Zaloguj się, jeśli Allegro o to poprosi, sprawdź, czy widać ten sam kod, i kliknij &lt;b&gt;Pozwól&lt;/b&gt;.</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopiuj</translation>
    </message>
    <message>
        <source>Copy the code to the clipboard</source>
        <translation>Kopiuj kod do schowka</translation>
    </message>
    <message>
        <source>Open Allegro in the browser</source>
        <translation>Otwórz Allegro w przeglądarce</translation>
    </message>
    <message>
        <source>Scan with your phone to open Allegro with the code</source>
        <translation>Zeskanuj telefonem, aby otworzyć Allegro z tym kodem</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Anuluj</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Zamknij</translation>
    </message>
    <message>
        <source>Waiting for you to approve the app on Allegro…</source>
        <translation>Oczekiwanie na zatwierdzenie aplikacji w Allegro…</translation>
    </message>
    <message>
        <source>Approved. Reading your account…</source>
        <translation>Zatwierdzono. Wczytywanie konta…</translation>
    </message>
    <message>
        <source>Access was denied</source>
        <translation>Odmówiono dostępu</translation>
    </message>
    <message>
        <source>You (or someone) clicked Odmów (Deny) on Allegro. Click Try again for a new code if that was a mistake.</source>
        <translation>Ktoś (być może Ty) kliknął w Allegro „Odmów”. Jeśli to pomyłka, kliknij „Spróbuj ponownie”, aby otrzymać nowy kod.</translation>
    </message>
    <message>
        <source>The code expired</source>
        <translation>Kod wygasł</translation>
    </message>
    <message>
        <source>The code is valid for a limited time and works only once. Click Try again for a new code.</source>
        <translation>Kod jest ważny przez ograniczony czas i działa tylko raz. Kliknij „Spróbuj ponownie”, aby otrzymać nowy kod.</translation>
    </message>
    <message>
        <source>This copy of the app cannot log in to Allegro</source>
        <translation>Ta kopia aplikacji nie może zalogować się do Allegro</translation>
    </message>
    <message>
        <source>Allegro cannot be reached</source>
        <translation>Brak połączenia z Allegro</translation>
    </message>
    <message>
        <source>Check your internet connection, then click Try again.</source>
        <translation>Sprawdź połączenie z internetem i kliknij „Spróbuj ponownie”.</translation>
    </message>
    <message>
        <source>Connecting failed</source>
        <translation>Nie udało się połączyć</translation>
    </message>
    <message>
        <source>An unexpected error occurred (details are in the log). Click Try again.</source>
        <translation>Wystąpił nieoczekiwany błąd (szczegóły są w dzienniku). Kliknij „Spróbuj ponownie”.</translation>
    </message>
    <message>
        <source>The code expires in %1.</source>
        <translation>Kod wygaśnie za %1.</translation>
    </message>
</context>
<context>
    <name>ConnectionPage</name>
    <message>
        <source>The demo&apos;s built-in Allegro emulator</source>
        <translation>Wbudowany emulator Allegro (wersja demonstracyjna)</translation>
    </message>
    <message>
        <source>Allegro (production)</source>
        <translation>Allegro (produkcja)</translation>
    </message>
    <message>
        <source>Allegro Sandbox (for testing)</source>
        <translation>Allegro Sandbox (do testów)</translation>
    </message>
    <message>
        <source>Environment:</source>
        <translation>Środowisko:</translation>
    </message>
    <message>
        <source>The app&apos;s built-in client ID</source>
        <translation>Wbudowane ID klienta aplikacji</translation>
    </message>
    <message>
        <source>Client ID:</source>
        <translation>ID klienta:</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Usuń</translation>
    </message>
    <message>
        <source>Remove the client secret stored in the system keyring</source>
        <translation>Usuń sekret klienta zapisany w systemowym magazynie haseł</translation>
    </message>
    <message>
        <source>Client secret:</source>
        <translation>Sekret klienta:</translation>
    </message>
    <message>
        <source>Only needed for your own app registered at apps.developer.allegro.pl (a device-type app); leave empty to use the app&apos;s built-in one. The secret is kept in the system keyring, never in a file. Changes apply to the next connection.</source>
        <translation>Potrzebne tylko dla własnej aplikacji zarejestrowanej w apps.developer.allegro.pl (typu urządzenie); zostaw puste, aby używać wbudowanych danych aplikacji. Sekret jest przechowywany w systemowym magazynie haseł, nigdy w pliku. Zmiany obowiązują od następnego połączenia.</translation>
    </message>
    <message>
        <source>Demo mode connects to the built-in emulator of Allegro: nothing to set here.</source>
        <translation>Tryb demo łączy się z wbudowanym emulatorem Allegro: nie ma tu nic do ustawienia.</translation>
    </message>
</context>
<context>
    <name>DamageBanner</name>
    <message>
        <source>Restore from a file…</source>
        <translation>Przywróć z pliku…</translation>
    </message>
    <message>
        <source>&lt;b&gt;The order database is damaged&lt;/b&gt; (found %1). The app has stopped syncing and writing to it, so the damage does not spread; your orders can still be viewed. Restore a backup to go on.</source>
        <translation>&lt;b&gt;Baza zamówień jest uszkodzona&lt;/b&gt; (wykryto %1). Aplikacja przestała synchronizować zamówienia i zapisywać do niej, aby uszkodzenie się nie rozprzestrzeniło; zamówienia można nadal przeglądać. Aby kontynuować, przywróć kopię zapasową.</translation>
    </message>
    <message>
        <source>Restore the newest backup (%1)</source>
        <translation>Przywróć najnowszą kopię zapasową (%1)</translation>
    </message>
</context>
<context>
    <name>DataPage</name>
    <message>
        <source>The usual folder</source>
        <translation>Domyślny folder</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Przeglądaj…</translation>
    </message>
    <message>
        <source>Data folder:</source>
        <translation>Folder danych:</translation>
    </message>
    <message>
        <source>The demo keeps its orders, settings and log apart from yours, in %1, emptied at each start of the demo; the data folder cannot be changed here.</source>
        <translation>Wersja demonstracyjna trzyma swoje zamówienia, ustawienia i dziennik osobno od Twoich, w %1, opróżnianym przy każdym jej uruchomieniu; folderu danych nie można tu zmienić.</translation>
    </message>
    <message>
        <source>This run keeps everything in %1 (the --data-dir option), so the data folder cannot be changed here.</source>
        <translation>W tym uruchomieniu wszystko jest przechowywane w %1 (opcja --data-dir), więc folderu danych nie można tu zmienić.</translation>
    </message>
    <message>
        <source>Where the order database is kept (now: %1). A new folder is used from the next start. To take your orders along, quit the app and move the file orders.sqlite3 (and orders.sqlite3-wal and orders.sqlite3-shm, if present) into the new folder; otherwise the app starts there with no orders and syncs them from Allegro again.</source>
        <translation>Miejsce przechowywania bazy zamówień (teraz: %1). Nowy folder zostanie użyty od następnego uruchomienia. Aby zabrać zamówienia ze sobą, zamknij aplikację i przenieś plik orders.sqlite3 (oraz orders.sqlite3-wal i orders.sqlite3-shm, jeśli istnieją) do nowego folderu; w przeciwnym razie aplikacja uruchomi się tam bez zamówień i ponownie zsynchronizuje je z Allegro.</translation>
    </message>
    <message>
        <source>Back up automatically:</source>
        <translation>Automatyczna kopia zapasowa:</translation>
    </message>
    <message>
        <source>Backups to keep:</source>
        <translation>Liczba przechowywanych kopii:</translation>
    </message>
    <message>
        <source>After a sync, a copy of the order database is saved in %1; the oldest go once there are more. File → Back up… saves one anywhere, File → Restore from backup… puts one back.</source>
        <translation>Po synchronizacji kopia bazy zamówień jest zapisywana w %1; gdy kopii jest więcej, najstarsze są usuwane. Plik → Utwórz kopię zapasową… zapisuje kopię w dowolnym miejscu, a Plik → Przywróć z kopii zapasowej… przywraca ją.</translation>
    </message>
    <message>
        <source>Debug (everything, for troubleshooting)</source>
        <translation>Debugowanie (wszystko, do diagnozowania problemów)</translation>
    </message>
    <message>
        <source>Information (default)</source>
        <translation>Informacje (domyślnie)</translation>
    </message>
    <message>
        <source>Warnings and errors</source>
        <translation>Ostrzeżenia i błędy</translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation>Tylko błędy</translation>
    </message>
    <message>
        <source>Log detail:</source>
        <translation>Szczegółowość dziennika:</translation>
    </message>
    <message>
        <source>The log is written to %1. It never contains passwords or tokens.</source>
        <translation>Dziennik jest zapisywany w pliku %1. Nigdy nie zawiera haseł ani tokenów.</translation>
    </message>
    <message>
        <source>This run writes no log file.</source>
        <translation>W tym uruchomieniu dziennik nie jest zapisywany do pliku.</translation>
    </message>
    <message>
        <source>Choose a full folder path (use Browse…).</source>
        <translation>Wybierz pełną ścieżkę folderu (użyj przycisku „Przeglądaj…”).</translation>
    </message>
    <message>
        <source>%1 is a file, not a folder.</source>
        <translation>%1 to plik, a nie folder.</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Wyłączona</translation>
    </message>
    <message>
        <source>Every day</source>
        <translation>Codziennie</translation>
    </message>
    <message>
        <source>Every week</source>
        <translation>Co tydzień</translation>
    </message>
    <message numerus="yes">
        <source>Every %n days</source>
        <translation>
            <numerusform>Co %n dzień</numerusform>
            <numerusform>Co %n dni</numerusform>
            <numerusform>Co %n dni</numerusform>
        </translation>
    </message>
    <message>
        <source>Choose the data folder</source>
        <translation>Wybierz folder danych</translation>
    </message>
</context>
<context>
    <name>DatabaseOpener</name>
    <message>
        <source>The order database is in use by another program — perhaps a backup tool or a second copy of Allegro Desktop. Waiting until it is free…</source>
        <translation>Baza zamówień jest używana przez inny program — może przez narzędzie do kopii zapasowych albo drugą kopię Allegro Desktop. Oczekiwanie na jej zwolnienie…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Zakończ</translation>
    </message>
    <message>
        <source>Restore the newest backup</source>
        <translation>Przywróć najnowszą kopię zapasową</translation>
    </message>
    <message>
        <source>The restore stopped because of an unexpected error (%1). The log has the details.</source>
        <translation>Przywracanie zostało przerwane przez nieoczekiwany błąd (%1). Szczegóły są w logu.</translation>
    </message>
    <message>
        <source>Restoring the newest backup…</source>
        <translation>Przywracanie najnowszej kopii zapasowej…</translation>
    </message>
</context>
<context>
    <name>DateFilter</name>
    <message>
        <source>All time</source>
        <translation>Cały okres</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Dzisiaj</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Wczoraj</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Ostatnie 7 dni</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>Bieżący miesiąc</translation>
    </message>
    <message>
        <source>Last month</source>
        <translation>Poprzedni miesiąc</translation>
    </message>
    <message>
        <source>Custom range</source>
        <translation>Własny zakres</translation>
    </message>
    <message>
        <source>Purchase date, in your time zone</source>
        <translation>Data zakupu (w Twojej strefie czasowej)</translation>
    </message>
</context>
<context>
    <name>DeliverySection</name>
    <message>
        <source>Delivery</source>
        <translation>Dostawa</translation>
    </message>
    <message>
        <source>Pickup point:</source>
        <translation>Punkt odbioru:</translation>
    </message>
    <message>
        <source>Point id:</source>
        <translation>ID punktu:</translation>
    </message>
    <message>
        <source>Recipient:</source>
        <translation>Odbiorca:</translation>
    </message>
    <message>
        <source>Phone:</source>
        <translation>Telefon:</translation>
    </message>
    <message>
        <source>Address changed by the buyer %1</source>
        <translation>Adres zmieniony przez kupującego %1</translation>
    </message>
    <message>
        <source>Delivery cost:</source>
        <translation>Koszt dostawy:</translation>
    </message>
    <message>
        <source>Ship by:</source>
        <translation>Wyślij do:</translation>
    </message>
</context>
<context>
    <name>DetailsHeader</name>
    <message>
        <source>Order</source>
        <translation>Zamówienie</translation>
    </message>
    <message>
        <source>Allegro&apos;s id of this order</source>
        <translation>ID zamówienia w Allegro</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopiuj</translation>
    </message>
    <message>
        <source>Copy the order id</source>
        <translation>Kopiuj ID zamówienia</translation>
    </message>
    <message>
        <source>Bought %1</source>
        <translation>Kupiono %1</translation>
    </message>
    <message>
        <source>Total to pay, delivery included</source>
        <translation>Do zapłaty, z dostawą</translation>
    </message>
    <message>
        <source>Open in Allegro</source>
        <translation>Otwórz w Allegro</translation>
    </message>
    <message>
        <source>Open this order in My Allegro in your browser</source>
        <translation>Otwórz to zamówienie w Moim Allegro w przeglądarce</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Skopiowano</translation>
    </message>
</context>
<context>
    <name>DiagnosticsDialog</name>
    <message>
        <source>Diagnostics</source>
        <translation>Diagnostyka</translation>
    </message>
    <message>
        <source>Health</source>
        <translation>Stan</translation>
    </message>
    <message>
        <source>Kept aside</source>
        <translation>Odłożone</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Dziennik</translation>
    </message>
    <message>
        <source>Copy diagnostics report</source>
        <translation>Kopiuj raport diagnostyczny</translation>
    </message>
    <message>
        <source>Copy versions, checks, recent syncs and the log&apos;s last lines, for support. Tokens and secrets are removed; buyers&apos; e-mails and phone numbers are masked.</source>
        <translation>Kopiuje wersje, wyniki testów, ostatnie synchronizacje i końcówkę dziennika dla pomocy technicznej. Tokeny i sekrety są usuwane; adresy e-mail i numery telefonów kupujących są maskowane.</translation>
    </message>
    <message>
        <source>Save report…</source>
        <translation>Zapisz raport…</translation>
    </message>
    <message>
        <source>Preparing the report…</source>
        <translation>Przygotowywanie raportu…</translation>
    </message>
    <message>
        <source>The report is on the clipboard: paste it into your message to support.</source>
        <translation>Raport jest w schowku: wklej go do wiadomości dla pomocy technicznej.</translation>
    </message>
    <message>
        <source>Saved to %1.</source>
        <translation>Zapisano do pliku %1.</translation>
    </message>
    <message>
        <source>The report could not be made: %1</source>
        <translation>Nie udało się przygotować raportu: %1</translation>
    </message>
    <message>
        <source>Save the diagnostics report</source>
        <translation>Zapisz raport diagnostyczny</translation>
    </message>
    <message>
        <source>Text files (*.txt)</source>
        <translation>Pliki tekstowe (*.txt)</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>Allegro could not find it: the order may have been merged into another purchase or be older than Allegro keeps orders.</source>
        <translation>Allegro nie może tego znaleźć: zamówienie mogło zostać połączone z innym zakupem albo jest starsze, niż Allegro przechowuje zamówienia.</translation>
    </message>
    <message>
        <source>Allegro refused access: the account has not given the app this permission. Connect the account again to grant it.</source>
        <translation>Allegro odmówiło dostępu: konto nie dało aplikacji tego uprawnienia. Połącz konto ponownie, aby je nadać.</translation>
    </message>
    <message>
        <source>The order changed on Allegro in the meantime. Refresh it and try again.</source>
        <translation>Zamówienie zmieniło się w międzyczasie na Allegro. Odśwież je i spróbuj ponownie.</translation>
    </message>
    <message>
        <source>Allegro refused the app&apos;s request as invalid. This is probably a bug of the app; please report it.</source>
        <translation>Allegro odrzuciło żądanie aplikacji jako nieprawidłowe. To prawdopodobnie błąd aplikacji; prosimy go zgłosić.</translation>
    </message>
    <message>
        <source>Allegro no longer serves data in the format this version of the app asks for. Please update the app.</source>
        <translation>Allegro nie udostępnia już danych w formacie, o który prosi ta wersja aplikacji. Zaktualizuj aplikację.</translation>
    </message>
    <message>
        <source>Allegro refused the file as too large.</source>
        <translation>Allegro odrzuciło plik jako zbyt duży.</translation>
    </message>
    <message>
        <source>Allegro already has a file for this invoice.</source>
        <translation>Allegro ma już plik tej faktury.</translation>
    </message>
    <message>
        <source>Allegro answered too slowly (no whole answer within %1 s). The app will try again.</source>
        <translation>Allegro odpowiadało zbyt wolno (brak pełnej odpowiedzi w ciągu %1 s). Aplikacja spróbuje ponownie.</translation>
    </message>
    <message>
        <source>Could not reach Allegro. Check the internet connection; the app will try again.</source>
        <translation>Nie udało się połączyć z Allegro. Sprawdź połączenie z internetem; aplikacja spróbuje ponownie.</translation>
    </message>
    <message>
        <source>Allegro sent an answer larger than the %1 the app reads; it was not read. The app will try again.</source>
        <translation>Allegro przysłało odpowiedź większą niż %1, które aplikacja odczytuje najwyżej; nie została odczytana. Aplikacja spróbuje ponownie.</translation>
    </message>
    <message>
        <source>Allegro no longer accepts the app&apos;s authorization for this account. Connect the account again.</source>
        <translation>Allegro nie akceptuje już autoryzacji aplikacji dla tego konta. Połącz konto ponownie.</translation>
    </message>
    <message>
        <source>Allegro did not accept the account&apos;s authorization. Connect the account again.</source>
        <translation>Allegro nie zaakceptowało autoryzacji konta. Połącz konto ponownie.</translation>
    </message>
    <message>
        <source>Allegro refused the request (HTTP %1).</source>
        <translation>Allegro odrzuciło żądanie (HTTP %1).</translation>
    </message>
    <message>
        <source>Allegro is having trouble right now. Try again in a few minutes.</source>
        <translation>Allegro ma w tej chwili problemy. Spróbuj ponownie za kilka minut.</translation>
    </message>
    <message>
        <source>Allegro sent an answer the app cannot read. Try again in a while; if it keeps happening, the app&apos;s log has the details for support.</source>
        <translation>Allegro przysłało odpowiedź, której aplikacja nie potrafi odczytać. Spróbuj ponownie za chwilę; jeśli to się powtarza, szczegóły dla pomocy technicznej są w dzienniku aplikacji.</translation>
    </message>
    <message>
        <source>Allegro asked the app to slow down for a while. Wait a little, then try again.</source>
        <translation>Allegro poprosiło aplikację o chwilowe zwolnienie. Odczekaj chwilę i spróbuj ponownie.</translation>
    </message>
    <message>
        <source>Waiting for you to approve the app on the Allegro page.</source>
        <translation>Czekamy, aż zatwierdzisz aplikację na stronie Allegro.</translation>
    </message>
    <message>
        <source>The connection was refused on the Allegro page. Start again to connect the account.</source>
        <translation>Połączenie zostało odrzucone na stronie Allegro. Zacznij od nowa, aby połączyć konto.</translation>
    </message>
    <message>
        <source>The connection code has expired or was already used. Start again to get a new code.</source>
        <translation>Kod połączenia wygasł lub został już użyty. Zacznij od nowa, aby otrzymać nowy kod.</translation>
    </message>
    <message>
        <source>Allegro (production, allegro.pl)</source>
        <translation>Allegro (produkcja, allegro.pl)</translation>
    </message>
    <message>
        <source>the Allegro Sandbox (allegro.pl.allegrosandbox.pl)</source>
        <translation>Allegro Sandbox (allegro.pl.allegrosandbox.pl)</translation>
    </message>
    <message>
        <source>the Allegro server at %1</source>
        <translation>serwer Allegro pod adresem %1</translation>
    </message>
    <message>
        <source>%1 sent an answer larger than the %2 the app reads; it was not read. Try again later.</source>
        <translation>Odpowiedź od: %1 jest większa niż %2, które aplikacja odczytuje najwyżej; nie została odczytana. Spróbuj ponownie później.</translation>
    </message>
    <message>
        <source>%1 answered too slowly (no whole answer within %2 s). Try again in a while.</source>
        <translation>Odpowiedź od: %1 nadchodziła zbyt wolno (brak pełnej odpowiedzi w ciągu %2 s). Spróbuj ponownie za jakiś czas.</translation>
    </message>
    <message>
        <source>Could not reach %1. Check the internet connection and try again.</source>
        <translation>Nie udało się połączyć z: %1. Sprawdź połączenie z internetem i spróbuj ponownie.</translation>
    </message>
    <message>
        <source>The app with client ID %1 is registered at %2 as a web application, and such apps cannot use the device code flow this program needs. The type of a registered app cannot be changed: register a new app of the device type (&quot;the app will run in an environment without a browser or keyboard&quot;) and use its client ID and secret.</source>
        <translation>Aplikacja o identyfikatorze klienta %1 jest zarejestrowana w %2 jako aplikacja webowa, a takie aplikacje nie mogą używać logowania kodem urządzenia, którego potrzebuje ten program. Typu zarejestrowanej aplikacji nie da się zmienić: zarejestruj nową aplikację typu urządzenie („aplikacja będzie działać w środowisku bez przeglądarki lub klawiatury”) i użyj jej identyfikatora klienta i sekretu.</translation>
    </message>
    <message>
        <source>The app&apos;s client ID and secret were refused by %1. Either they are mistyped, or they belong to the other environment: apps registered for the Allegro Sandbox do not work in production, nor the other way round.</source>
        <translation>Identyfikator klienta i sekret aplikacji zostały odrzucone przez: %1. Albo zawierają literówkę, albo należą do innego środowiska: aplikacje zarejestrowane w Allegro Sandbox nie działają w produkcji i odwrotnie.</translation>
    </message>
    <message>
        <source>Allegro no longer accepts this app&apos;s authorization for the account (%1). Connect the account again.</source>
        <translation>Allegro nie akceptuje już autoryzacji tej aplikacji dla konta (%1). Połącz konto ponownie.</translation>
    </message>
    <message>
        <source>Allegro refused the app&apos;s authorization request. This is a bug of the app; please report it.</source>
        <translation>Allegro odrzuciło żądanie autoryzacji aplikacji. To błąd aplikacji; prosimy go zgłosić.</translation>
    </message>
    <message>
        <source>The list of connected Allegro accounts (%1) is damaged: %2. Move the file somewhere else (or delete it) and connect your accounts again; your orders on this computer are kept.</source>
        <translation>Lista połączonych kont Allegro (%1) jest uszkodzona: %2. Przenieś plik w inne miejsce (lub go usuń) i połącz konta ponownie; zamówienia na tym komputerze zostaną zachowane.</translation>
    </message>
    <message>
        <source>it is not text</source>
        <translation>to nie jest tekst</translation>
    </message>
    <message>
        <source>The list of connected Allegro accounts (%1) cannot be read: %2. Check the file&apos;s permissions.</source>
        <translation>Nie można odczytać listy połączonych kont Allegro (%1): %2. Sprawdź uprawnienia pliku.</translation>
    </message>
    <message>
        <source>it is not valid JSON</source>
        <translation>to nie jest poprawny JSON</translation>
    </message>
    <message>
        <source>it has no list of accounts</source>
        <translation>nie zawiera listy kont</translation>
    </message>
    <message>
        <source>its format is not stated</source>
        <translation>nie określa swojego formatu</translation>
    </message>
    <message>
        <source>The list of connected Allegro accounts (%1) was written by a newer version of Allegro Desktop. Update the app.</source>
        <translation>Lista połączonych kont Allegro (%1) została zapisana przez nowszą wersję Allegro Desktop. Zaktualizuj aplikację.</translation>
    </message>
    <message>
        <source>account number %1 is incomplete</source>
        <translation>konto nr %1 jest niekompletne</translation>
    </message>
    <message>
        <source>The list of connected Allegro accounts (%1) cannot be saved: %2. Check the free disk space and the folder&apos;s permissions.</source>
        <translation>Nie można zapisać listy połączonych kont Allegro (%1): %2. Sprawdź wolne miejsce na dysku i uprawnienia folderu.</translation>
    </message>
    <message>
        <source>Allegro did not accept the new connection. Try connecting again.</source>
        <translation>Allegro nie zaakceptowało nowego połączenia. Spróbuj połączyć się ponownie.</translation>
    </message>
    <message>
        <source>Connecting the account was cancelled.</source>
        <translation>Łączenie konta zostało anulowane.</translation>
    </message>
    <message>
        <source>The code expired or was already used — start again to get a new code.</source>
        <translation>Kod wygasł lub został już użyty — zacznij od nowa, aby otrzymać nowy kod.</translation>
    </message>
    <message>
        <source>This Allegro account is not connected on this computer any more. Connect it again.</source>
        <translation>To konto Allegro nie jest już połączone na tym komputerze. Połącz je ponownie.</translation>
    </message>
    <message>
        <source>Allegro no longer accepts this app&apos;s access to the account. Connect the account again.</source>
        <translation>Allegro nie akceptuje już dostępu tej aplikacji do konta. Połącz konto ponownie.</translation>
    </message>
    <message>
        <source>macOS has a keychain built in. Make sure your login keychain is unlocked (open Keychain Access, select &quot;login&quot; and unlock it), then try again.</source>
        <translation>macOS ma wbudowany pęk kluczy. Upewnij się, że pęk kluczy logowania jest odblokowany (otwórz Dostęp do pęku kluczy, wybierz „login” i odblokuj go), a potem spróbuj ponownie.</translation>
    </message>
    <message>
        <source>Windows has Credential Manager built in. Sign in to Windows with your own user account (not a temporary profile) and try again.</source>
        <translation>Windows ma wbudowany Menedżer poświadczeń. Zaloguj się do Windows na własne konto użytkownika (nie na profil tymczasowy) i spróbuj ponownie.</translation>
    </message>
    <message>
        <source>On Linux the app needs a Secret Service provider running in your desktop session (over D-Bus): GNOME Keyring (package gnome-keyring), KeePassXC with &quot;Secret Service integration&quot; enabled, or KWallet. Install one, log out and in again, and make sure it is unlocked.
On a server or a bare system without a desktop, start the app inside a D-Bus session with an unlocked keyring, for example:
  dbus-run-session -- sh -c &apos;echo -n pass | gnome-keyring-daemon --unlock; allegro-desktop&apos;
(replace pass with a password of your choice). The app never stores your Allegro sign-in in a plain file.</source>
        <translation>W systemie Linux aplikacja potrzebuje dostawcy Secret Service działającego w sesji pulpitu (przez D-Bus): GNOME Keyring (pakiet gnome-keyring), KeePassXC z włączoną „integracją Secret Service” lub KWallet. Zainstaluj jeden z nich, wyloguj się i zaloguj ponownie, i upewnij się, że jest odblokowany.
Na serwerze lub w systemie bez pulpitu uruchom aplikację w sesji D-Bus z odblokowanym magazynem haseł, na przykład:
  dbus-run-session -- sh -c &apos;echo -n pass | gnome-keyring-daemon --unlock; allegro-desktop&apos;
(zastąp pass wybranym hasłem). Aplikacja nigdy nie zapisuje Twojego logowania do Allegro w zwykłym pliku.</translation>
    </message>
    <message>
        <source>The system keyring is locked, so the app cannot read or save your Allegro sign-in. Unlock it (or accept the unlock prompt) and try again.</source>
        <translation>Systemowy magazyn haseł jest zablokowany, więc aplikacja nie może odczytać ani zapisać Twojego logowania do Allegro. Odblokuj go (lub zaakceptuj prośbę o odblokowanie) i spróbuj ponownie.</translation>
    </message>
    <message>
        <source>The app keeps your Allegro sign-in in the system keyring, but no usable keyring is available (%1).

%2</source>
        <translation>Aplikacja przechowuje Twoje logowanie do Allegro w systemowym magazynie haseł, ale żaden nadający się do użycia magazyn nie jest dostępny (%1).

%2</translation>
    </message>
    <message>
        <source>a named pipe (FIFO)</source>
        <translation>potokiem nazwanym (FIFO)</translation>
    </message>
    <message>
        <source>a socket</source>
        <translation>gniazdem (socket)</translation>
    </message>
    <message>
        <source>a device</source>
        <translation>urządzeniem</translation>
    </message>
    <message>
        <source>%1 is in %2, a folder where Allegro Desktop keeps its own files (the order database, settings, logs, backups). Save it somewhere else, for example in your Documents folder.</source>
        <translation>%1 leży w %2 — folderze, w którym Allegro Desktop trzyma własne pliki (bazę zamówień, ustawienia, logi, kopie zapasowe). Zapisz go gdzie indziej, na przykład w folderze Dokumenty.</translation>
    </message>
    <message>
        <source>%1 is Allegro Desktop&apos;s order database, one of its companion files, a backup or one of its lock files. Saving over it would destroy your orders: choose another name or folder, for example in your Documents folder.</source>
        <translation>%1 to baza zamówień Allegro Desktop, jeden z jej plików towarzyszących, kopia zapasowa albo jeden z jej plików blokad. Zapisanie w tym miejscu zniszczyłoby Twoje zamówienia: wybierz inną nazwę lub inny folder, na przykład Dokumenty.</translation>
    </message>
    <message>
        <source>%1 is not an ordinary file but %2, which cannot hold what Allegro Desktop saves. Choose another name.</source>
        <translation>%1 nie jest zwykłym plikiem, tylko %2, w którym Allegro Desktop nie może niczego zapisać. Wybierz inną nazwę.</translation>
    </message>
    <message>
        <source>%1 is a folder. Choose a file name in it.</source>
        <translation>%1 to folder. Wybierz nazwę pliku w tym folderze.</translation>
    </message>
    <message>
        <source>%1 is a link to %2. Allegro Desktop does not write through links, so that the link and what it points to stay as they are: choose %2 itself, or another name.</source>
        <translation>%1 to dowiązanie (skrót) do %2. Allegro Desktop nie zapisuje przez dowiązania, aby ani dowiązanie, ani to, na co wskazuje, nie zostało zmienione: wybierz bezpośrednio %2 albo inną nazwę.</translation>
    </message>
    <message>
        <source>a special file</source>
        <translation>plikiem specjalnym</translation>
    </message>
    <message>
        <source>There is not enough free space to save %1 in %2. Free some space on the disk, or save the export somewhere else.</source>
        <translation>Brak wolnego miejsca, aby zapisać %1 w %2. Zwolnij miejsce na dysku albo zapisz eksport w innym miejscu.</translation>
    </message>
    <message>
        <source>%1 is too big for the disk or folder it is saved to (%2), which limits the size of a file. Save it somewhere else, or export fewer orders.</source>
        <translation>%1 jest za duży dla dysku lub folderu, w którym ma zostać zapisany (%2), bo ten ogranicza rozmiar pliku. Zapisz go w innym miejscu albo wyeksportuj mniej zamówień.</translation>
    </message>
    <message>
        <source>%1 cannot be written: you may not save files in %2, or the file is open in another program (such as Excel). Close it, or choose another folder, for example your Documents.</source>
        <translation>Nie można zapisać %1: nie masz prawa zapisywać plików w %2 albo plik jest otwarty w innym programie (np. w Excelu). Zamknij go lub wybierz inny folder, na przykład Dokumenty.</translation>
    </message>
    <message>
        <source>The folder %1 does not exist (any more). Choose an existing folder.</source>
        <translation>Folder %1 nie istnieje (już). Wybierz istniejący folder.</translation>
    </message>
    <message>
        <source>%1 cannot be written: it or a folder on its path is not what it seems (a folder where a file should be, or the reverse). Choose another name.</source>
        <translation>Nie można zapisać %1: ten plik lub folder na jego ścieżce nie jest tym, czym się wydaje (folder tam, gdzie powinien być plik, lub odwrotnie). Wybierz inną nazwę.</translation>
    </message>
    <message>
        <source>The file name %1 is too long. Choose a shorter one.</source>
        <translation>Nazwa pliku %1 jest za długa. Wybierz krótszą.</translation>
    </message>
    <message>
        <source>%1 could not be written: %2.</source>
        <translation>Nie udało się zapisać %1: %2.</translation>
    </message>
    <message>
        <source>An Excel sheet holds at most %1 rows, and this export has more. Export fewer orders (filter them), or choose CSV.</source>
        <translation>Arkusz Excela mieści najwyżej %1 wierszy, a ten eksport ma ich więcej. Wyeksportuj mniej zamówień (przefiltruj je) albo wybierz CSV.</translation>
    </message>
    <message>
        <source>The order database %1 cannot be opened: %2.</source>
        <translation>Nie można otworzyć bazy zamówień %1: %2.</translation>
    </message>
    <message>
        <source>The order database %1 was last used by %2, which is newer than this version. Open it with %2 or later. Nothing in the file was changed.</source>
        <translation>Baza zamówień %1 była ostatnio używana przez %2, nowszą niż ta wersja. Otwórz ją w %2 lub nowszej. Niczego w pliku nie zmieniono.</translation>
    </message>
    <message>
        <source>The order database %1 was changed by a build of Allegro Desktop newer than this version (%3): its format (revision %2) is unknown here. Open it with that newer build. Nothing in the file was changed.</source>
        <translation>Bazę zamówień %1 zmieniła kompilacja Allegro Desktop nowsza niż ta wersja (%3): jej format (rewizja %2) jest tu nieznany. Otwórz ją w tamtej, nowszej kompilacji. Niczego w pliku nie zmieniono.</translation>
    </message>
    <message>
        <source>The order database %1 is damaged or is not an Allegro Desktop database. It was left as it is. Restore your newest backup, %2: File → Restore from backup… in the app, or the command allegro-desktop restore %2. Or move the file away and the app will download your orders from Allegro again.</source>
        <translation>Baza zamówień %1 jest uszkodzona lub nie jest bazą Allegro Desktop. Pozostawiono ją bez zmian. Przywróć najnowszą kopię zapasową, %2: Plik → Przywróć z kopii zapasowej… w aplikacji albo polecenie allegro-desktop restore %2. Możesz też przenieść plik w inne miejsce, a aplikacja ponownie pobierze zamówienia z Allegro.</translation>
    </message>
    <message>
        <source>The order database %1 is damaged or is not an Allegro Desktop database. It was left as it is. Restore a backup (File → Restore from backup… in the app, or the command allegro-desktop restore FILE), or move the file away and the app will download your orders from Allegro again.</source>
        <translation>Baza zamówień %1 jest uszkodzona lub nie jest bazą Allegro Desktop. Pozostawiono ją bez zmian. Przywróć kopię zapasową (Plik → Przywróć z kopii zapasowej… w aplikacji albo polecenie allegro-desktop restore PLIK) albo przenieś plik w inne miejsce, a aplikacja ponownie pobierze zamówienia z Allegro.</translation>
    </message>
    <message>
        <source>The order database %1 was found damaged (%2), so the app no longer writes to it or syncs, to keep the damage from spreading. Your orders can still be viewed. Restore your newest backup, %3: File → Restore from backup… in the app, or the command allegro-desktop restore %3.</source>
        <translation>W bazie zamówień %1 wykryto uszkodzenie (%2), więc aplikacja już do niej nie zapisuje i nie synchronizuje zamówień, aby uszkodzenie się nie rozprzestrzeniło. Zamówienia można nadal przeglądać. Przywróć najnowszą kopię zapasową, %3: Plik → Przywróć z kopii zapasowej… w aplikacji albo polecenie allegro-desktop restore %3.</translation>
    </message>
    <message>
        <source>The order database %1 was found damaged (%2), so the app no longer writes to it or syncs, to keep the damage from spreading. Your orders can still be viewed. No backup of it was found: restore one you made yourself (File → Restore from backup…), or quit the app, move the file away, and the app will download your orders from Allegro again.</source>
        <translation>W bazie zamówień %1 wykryto uszkodzenie (%2), więc aplikacja już do niej nie zapisuje i nie synchronizuje zamówień, aby uszkodzenie się nie rozprzestrzeniło. Zamówienia można nadal przeglądać. Nie znaleziono jej kopii zapasowej: przywróć kopię wykonaną samodzielnie (Plik → Przywróć z kopii zapasowej…) albo zamknij aplikację i przenieś plik w inne miejsce, a aplikacja ponownie pobierze zamówienia z Allegro.</translation>
    </message>
    <message>
        <source>The order database %1 is in use by another program, perhaps a second copy of Allegro Desktop. Close it and try again.</source>
        <translation>Baza zamówień %1 jest używana przez inny program, być może drugą kopię Allegro Desktop. Zamknij go i spróbuj ponownie.</translation>
    </message>
    <message>
        <source>The order database %1 is open in another program, probably Allegro Desktop. Quit it (or restore from the app: File → Restore from backup…) and try again. Nothing was changed.</source>
        <translation>Baza zamówień %1 jest otwarta w innym programie, prawdopodobnie w Allegro Desktop. Zamknij go (albo przywróć kopię w aplikacji: Plik → Przywróć z kopii zapasowej…) i spróbuj ponownie. Niczego nie zmieniono.</translation>
    </message>
    <message>
        <source>The disk holding %1 is full, so new orders could not be saved. Nothing was lost: free some space and sync again.</source>
        <translation>Dysk z plikiem %1 jest pełny, więc nie udało się zapisać nowych zamówień. Nic nie zginęło: zwolnij miejsce i zsynchronizuj ponownie.</translation>
    </message>
    <message>
        <source>%1 is not an Allegro Desktop database, so it cannot be restored. Choose a backup made by Allegro Desktop. Nothing was changed.</source>
        <translation>%1 nie jest bazą Allegro Desktop, więc nie można jej przywrócić. Wybierz kopię zapasową utworzoną przez Allegro Desktop. Niczego nie zmieniono.</translation>
    </message>
    <message>
        <source>The backup %1 was made by a newer version of Allegro Desktop than this one (%2). Restore it with that version or a later one. Nothing was changed.</source>
        <translation>Kopię zapasową %1 utworzyła nowsza wersja Allegro Desktop niż ta (%2). Przywróć ją w tamtej lub nowszej wersji. Niczego nie zmieniono.</translation>
    </message>
    <message>
        <source>The backup %1 is damaged, so it cannot be restored. Choose an older backup. Nothing was changed.</source>
        <translation>Kopia zapasowa %1 jest uszkodzona, więc nie można jej przywrócić. Wybierz starszą kopię. Niczego nie zmieniono.</translation>
    </message>
    <message>
        <source>The order database %1 cannot be written to. Check that its folder is writable.</source>
        <translation>Nie można zapisywać do bazy zamówień %1. Sprawdź, czy jej folder jest zapisywalny.</translation>
    </message>
    <message>
        <source>The order database %1 could not be read or written (%2). Check the disk and the folder&apos;s permissions.</source>
        <translation>Nie udało się odczytać ani zapisać bazy zamówień %1 (%2). Sprawdź dysk i uprawnienia folderu.</translation>
    </message>
    <message>
        <source>Orders can be deleted after %1 months at the earliest, not after %2: the sync fetches the last 12 months of orders from Allegro (at the start, and again after a long pause), so younger orders would just come back. Choose 12 months or more, or keep orders forever.</source>
        <translation>Zamówienia można usuwać najwcześniej po %1 miesiącach, nie po %2: synchronizacja pobiera z Allegro zamówienia z ostatnich 12 miesięcy (na początku i ponownie po długiej przerwie), więc młodsze zamówienia po prostu by wróciły. Wybierz 12 miesięcy lub więcej albo przechowuj zamówienia zawsze.</translation>
    </message>
    <message>
        <source>Keeping orders for %1 months is keeping them forever: choose that instead.</source>
        <translation>Przechowywanie zamówień przez %1 miesięcy to przechowywanie ich zawsze: wybierz zamiast tego tę opcję.</translation>
    </message>
    <message>
        <source>Order events can be deleted after %1 days at the earliest, not after %2: Allegro&apos;s own event journal covers %1 days, and a sync may record events that old.</source>
        <translation>Zdarzenia zamówień można usuwać najwcześniej po %1 dniach, nie po %2: dziennik zdarzeń Allegro obejmuje %1 dni, a synchronizacja może zapisać tak stare zdarzenia.</translation>
    </message>
    <message>
        <source>Sync runs must be kept at least a day.</source>
        <translation>Historię synchronizacji trzeba przechowywać co najmniej dzień.</translation>
    </message>
    <message>
        <source>At least the latest sync run of each account must be kept.</source>
        <translation>Trzeba zachować przynajmniej ostatnią synchronizację każdego konta.</translation>
    </message>
    <message>
        <source>The system keyring stored a test entry but gave a different one back. Your sign-in cannot be kept safely: check the keyring program.</source>
        <translation>Systemowy magazyn haseł zapisał wpis testowy, ale zwrócił inny. Nie da się bezpiecznie przechować Twojego logowania: sprawdź program magazynu haseł.</translation>
    </message>
    <message>
        <source>The system keyring works, but a test entry could not be deleted (&quot;%1&quot; in the keyring program); you may delete it by hand.</source>
        <translation>Systemowy magazyn haseł działa, ale nie udało się usunąć wpisu testowego („%1” w programie magazynu haseł); możesz usunąć go ręcznie.</translation>
    </message>
    <message>
        <source>Usable: a test entry was saved, read back and deleted.</source>
        <translation>Działa: wpis testowy został zapisany, odczytany i usunięty.</translation>
    </message>
    <message>
        <source>No Allegro account is connected yet.</source>
        <translation>Nie połączono jeszcze żadnego konta Allegro.</translation>
    </message>
    <message>
        <source>Allegro no longer accepts the app&apos;s authorization. Connect the account again (Account menu).</source>
        <translation>Allegro nie akceptuje już autoryzacji aplikacji. Połącz konto ponownie (menu Konto).</translation>
    </message>
    <message>
        <source>No sign-in is stored in the keyring for this account. Connect it again (Account menu).</source>
        <translation>W magazynie haseł nie ma zapisanego logowania dla tego konta. Połącz je ponownie (menu Konto).</translation>
    </message>
    <message>
        <source>access valid until %1</source>
        <translation>dostęp ważny do %1</translation>
    </message>
    <message>
        <source>access expired, renewed at the next sync</source>
        <translation>dostęp wygasł, zostanie odnowiony przy następnej synchronizacji</translation>
    </message>
    <message>
        <source>The sign-in expired on %1. Connect the account again (Account menu).</source>
        <translation>Logowanie wygasło %1. Połącz konto ponownie (menu Konto).</translation>
    </message>
    <message>
        <source>Valid: %1; the sign-in renews itself at each sync and lasts until %2 without one.</source>
        <translation>Ważne: %1; logowanie odnawia się przy każdej synchronizacji, a bez niej wygaśnie %2.</translation>
    </message>
    <message>
        <source>Not checked: no Allegro environment is configured.</source>
        <translation>Nie sprawdzono: nie skonfigurowano żadnego środowiska Allegro.</translation>
    </message>
    <message>
        <source>%1 did not answer within %2 s. Check the internet connection (and a firewall or proxy, if any).</source>
        <translation>%1: brak odpowiedzi w ciągu %2 s. Sprawdź połączenie z internetem (oraz zaporę lub serwer proxy, jeśli są).</translation>
    </message>
    <message>
        <source>Cannot reach %1 (%2). Check the internet connection; the app works offline on the orders it has.</source>
        <translation>Nie można połączyć się z: %1 (%2). Sprawdź połączenie z internetem; aplikacja działa offline na zapisanych zamówieniach.</translation>
    </message>
    <message>
        <source>%1 answered with an error (HTTP %2): Allegro has trouble right now; syncs try again by themselves.</source>
        <translation>%1 odpowiada błędem (HTTP %2): Allegro ma w tej chwili problemy; synchronizacje ponawiają się same.</translation>
    </message>
    <message>
        <source>Reachable: %1 answered in %2 ms.</source>
        <translation>Dostępne: odpowiedź z %1 po %2 ms.</translation>
    </message>
    <message>
        <source>No database yet at %1: the app creates it when it starts.</source>
        <translation>Nie ma jeszcze bazy w %1: aplikacja utworzy ją przy uruchomieniu.</translation>
    </message>
    <message>
        <source>%1 (%2, schema %3) opens; its page-by-page integrity check was skipped for a file over %4 (run &quot;allegro-desktop doctor --full&quot; for it: it takes minutes).</source>
        <translation>Plik %1 (%2, schemat %3) otwiera się; kontrolę integralności strona po stronie pominięto, bo plik jest większy niż %4 (uruchom dla niego „allegro-desktop doctor --full”: trwa to kilka minut).</translation>
    </message>
    <message>
        <source>%1 is damaged (integrity check: %2). Close the app, restore a backup, or move the file away and the app downloads your orders again.</source>
        <translation>Plik %1 jest uszkodzony (kontrola integralności: %2). Zamknij aplikację, przywróć kopię zapasową albo przenieś plik w inne miejsce, a aplikacja pobierze zamówienia ponownie.</translation>
    </message>
    <message>
        <source>%1 (%2, schema %3): the integrity check passed.</source>
        <translation>Plik %1 (%2, schemat %3): kontrola integralności zakończona pomyślnie.</translation>
    </message>
    <message>
        <source>Only %1 free where the data folder is (%2): new orders cannot be saved soon. Free some space.</source>
        <translation>Na dysku z folderem danych (%2) zostało tylko %1 wolnego miejsca: wkrótce nie da się zapisywać nowych zamówień. Zwolnij trochę miejsca.</translation>
    </message>
    <message>
        <source>%1 free where the data folder is (%2): little room left. Free some space.</source>
        <translation>Na dysku z folderem danych (%2) zostało %1 wolnego miejsca: to niewiele. Zwolnij trochę miejsca.</translation>
    </message>
    <message>
        <source>%1 free where the data folder is (%2).</source>
        <translation>Wolne miejsce na dysku z folderem danych (%2): %1.</translation>
    </message>
    <message>
        <source>Allegro asked the app to slow down (HTTP 429): requests are paused until %1. The app goes on by itself.</source>
        <translation>Allegro poprosiło aplikację o spowolnienie (HTTP 429): zapytania są wstrzymane do %1. Aplikacja wznowi je sama.</translation>
    </message>
    <message>
        <source>The sync at %1 was answered &quot;too many requests&quot; (HTTP 429) %2 time(s). It is not paused now; if it keeps happening, lower the requests per minute in the settings.</source>
        <translation>Synchronizacja rozpoczęta %1 otrzymała odpowiedź „zbyt wiele zapytań” (HTTP 429) – liczba: %2. Teraz nic nie jest wstrzymane; jeśli to się powtarza, zmniejsz liczbę zapytań na minutę w ustawieniach.</translation>
    </message>
    <message>
        <source>No recent sync was rate limited.</source>
        <translation>Żadna niedawna synchronizacja nie przekroczyła limitu zapytań.</translation>
    </message>
    <message>
        <source>Not paused; the app sends at most %1 requests a minute.</source>
        <translation>Brak wstrzymania; maksymalna liczba zapytań aplikacji na minutę: %1.</translation>
    </message>
    <message>
        <source>No connected account to sync.</source>
        <translation>Brak połączonego konta do synchronizacji.</translation>
    </message>
    <message>
        <source>Unknown: the order database cannot be read (see its check).</source>
        <translation>Nieznana: nie można odczytać bazy zamówień (zobacz jej test).</translation>
    </message>
    <message>
        <source>Never synced: there is no order database yet.</source>
        <translation>Nigdy nie synchronizowano: nie ma jeszcze bazy zamówień.</translation>
    </message>
    <message>
        <source> The last attempt failed: %1</source>
        <translation> Ostatnia próba nie powiodła się: %1</translation>
    </message>
    <message>
        <source>Never synced yet.%1</source>
        <translation>Jeszcze nie synchronizowano.%1</translation>
    </message>
    <message>
        <source>Last successful sync %1, more than a day ago: new orders may be missing.%2</source>
        <translation>Ostatnia udana synchronizacja: %1, ponad dobę temu — może brakować nowych zamówień.%2</translation>
    </message>
    <message>
        <source>Last successful sync %1.</source>
        <translation>Ostatnia udana synchronizacja: %1.</translation>
    </message>
    <message>
        <source>None: every order and event Allegro sent could be stored.</source>
        <translation>Brak: każde zamówienie i zdarzenie przysłane przez Allegro udało się zapisać.</translation>
    </message>
    <message>
        <source>Nothing kept aside. Orders Allegro failed to send, asked for again at every sync: %1.</source>
        <translation>Nic nie zostało odłożone. Zamówienia, których Allegro nie zdołało przysłać (aplikacja pyta o nie przy każdej synchronizacji): %1.</translation>
    </message>
    <message>
        <source>Allegro sent orders or events the app cannot store exactly; they are kept aside (with what Allegro sent) and do not stop the sync of the others. Kept aside: %1; orders asked for again at every sync: %2. The latest, %3: %4</source>
        <translation>Allegro przysłało zamówienia lub zdarzenia, których aplikacja nie potrafi zapisać dokładnie; są odłożone (razem z tym, co przysłało Allegro) i nie wstrzymują synchronizacji pozostałych. Odłożone: %1; zamówienia, o które aplikacja pyta przy każdej synchronizacji: %2. Ostatni odłożony, %3: %4</translation>
    </message>
    <message>
        <source>The check itself failed (%1). Please report this, with the diagnostics report.</source>
        <translation>Sam test zakończył się błędem (%1). Prosimy to zgłosić, dołączając raport diagnostyczny.</translation>
    </message>
    <message>
        <source>The statistics were cancelled.</source>
        <translation>Obliczanie statystyk zostało anulowane.</translation>
    </message>
    <message>
        <source>The profile is busy: %1 (pid %2) is syncing it.</source>
        <translation>Profil jest zajęty: synchronizuje go %1 (pid %2).</translation>
    </message>
    <message>
        <source>The profile is busy: another copy of Allegro Desktop is syncing it.</source>
        <translation>Profil jest zajęty: synchronizuje go inna kopia Allegro Desktop.</translation>
    </message>
    <message>
        <source>The sync lock %1 cannot be used: %2.</source>
        <translation>Nie można użyć blokady synchronizacji %1: %2.</translation>
    </message>
    <message>
        <source>The sync stopped after %1 requests to Allegro, the most one sync may send. What it read is stored; the next sync continues from there.</source>
        <translation>Synchronizacja zatrzymała się po wysłaniu do Allegro %1 zapytań — tyle najwięcej może wysłać jedna synchronizacja. Odczytane dane są zapisane; następna synchronizacja będzie kontynuować od tego miejsca.</translation>
    </message>
    <message>
        <source>Allegro&apos;s order journal has an entry the app cannot read past (after event %1). The orders it names are stored; the next sync tries again.</source>
        <translation>Dziennik zamówień Allegro zawiera wpis, na którym aplikacja musi przerwać odczyt (po zdarzeniu %1). Zamówienia, których dotyczą odczytane wpisy, są zapisane; następna synchronizacja spróbuje ponownie.</translation>
    </message>
    <message>
        <source>Allegro&apos;s order list repeated orders within a page, so it may have left others out (periods affected: %1). The orders read are stored; the next sync lists those periods again.</source>
        <translation>Lista zamówień Allegro powtórzyła zamówienia na jednej stronie, więc mogła pominąć inne (liczba okresów, których to dotyczy: %1). Odczytane zamówienia są zapisane; następna synchronizacja ponownie pobierze listę tych okresów.</translation>
    </message>
    <message>
        <source>Allegro refused the app&apos;s position in its order journal, even after the app checked the whole order history again. The next sync tries again.</source>
        <translation>Allegro odrzuciło pozycję aplikacji w dzienniku zamówień, nawet po ponownym sprawdzeniu całej historii zamówień. Następna synchronizacja spróbuje ponownie.</translation>
    </message>
    <message>
        <source>The backup %1 cannot be read: %2. Nothing was changed.</source>
        <translation>Nie można odczytać kopii zapasowej %1: %2. Niczego nie zmieniono.</translation>
    </message>
    <message>
        <source>The backup %1 could not be copied: %2. Nothing was changed.</source>
        <translation>Nie udało się skopiować kopii zapasowej %1: %2. Niczego nie zmieniono.</translation>
    </message>
    <message>
        <source>The backup written to %1 failed its check, although the order database itself is sound: the disk or medium it was written to may be failing. The backup was not kept, and the order database was not changed. Save the backup somewhere else.</source>
        <translation>Kopia zapasowa zapisana w %1 nie przeszła sprawdzenia, choć sama baza zamówień jest sprawna: dysk lub nośnik, na który ją zapisano, może być uszkodzony. Kopii nie zachowano, a baza zamówień nie została zmieniona. Zapisz kopię zapasową w innym miejscu.</translation>
    </message>
    <message>
        <source>The backup %1 could not be brought up to this version&apos;s format (%2). Nothing was changed.</source>
        <translation>Nie udało się przekształcić kopii zapasowej %1 do formatu tej wersji (%2). Niczego nie zmieniono.</translation>
    </message>
    <message>
        <source>The current order database could not be saved to %1 before the restore (%2), so nothing was restored and nothing changed.</source>
        <translation>Przed przywróceniem nie udało się zachować bieżącej bazy zamówień w %1 (%2), więc niczego nie przywrócono ani nie zmieniono.</translation>
    </message>
    <message>
        <source>The backup could not be prepared for the restore (%1). The order database was not changed.</source>
        <translation>Nie udało się przygotować kopii zapasowej do przywrócenia (%1). Baza zamówień nie została zmieniona.</translation>
    </message>
    <message>
        <source>The backup could not be restored into %1 (%2). The order database was not changed.</source>
        <translation>Nie udało się przywrócić kopii zapasowej do %1 (%2). Baza zamówień nie została zmieniona.</translation>
    </message>
    <message>
        <source>%1 is the order database itself: choose a backup file to restore.</source>
        <translation>%1 to sama baza zamówień: wybierz plik kopii zapasowej do przywrócenia.</translation>
    </message>
    <message>
        <source>The backup could not be written to %1: %2. The order database was not changed.</source>
        <translation>Nie udało się zapisać kopii zapasowej w %1: %2. Baza zamówień nie została zmieniona.</translation>
    </message>
    <message>
        <source>There is no automatic backup in %1.</source>
        <translation>W %1 nie ma automatycznej kopii zapasowej.</translation>
    </message>
    <message>
        <source>The amounts of this period add up to more than the statistics can count exactly. Choose a shorter period.</source>
        <translation>Kwoty z tego okresu sumują się do wartości większej, niż statystyki potrafią dokładnie policzyć. Wybierz krótszy okres.</translation>
    </message>
    <message>
        <source>is missing</source>
        <translation>nie ma wartości</translation>
    </message>
    <message>
        <source>is not an object: %1</source>
        <translation>nie jest obiektem JSON: %1</translation>
    </message>
    <message>
        <source>is not an amount: %1</source>
        <translation>nie jest kwotą: %1</translation>
    </message>
    <message>
        <source>is too large to store exactly: %1</source>
        <translation>jest zbyt duże, by zapisać je dokładnie: %1</translation>
    </message>
    <message>
        <source>is an integer past 64 bits: %1</source>
        <translation>jest liczbą całkowitą spoza zakresu 64 bitów: %1</translation>
    </message>
    <message>
        <source>is a number a float cannot hold exactly: %1</source>
        <translation>jest liczbą, której nie da się dokładnie zapisać jako liczby zmiennoprzecinkowej: %1</translation>
    </message>
    <message>
        <source>is not a JSON number: %1</source>
        <translation>nie jest liczbą JSON: %1</translation>
    </message>
    <message>
        <source>is nested too deep to read: %1</source>
        <translation>jest zagnieżdżone zbyt głęboko, by je odczytać: %1</translation>
    </message>
    <message>
        <source>has more than two decimals: %1</source>
        <translation>ma więcej niż dwa miejsca po przecinku: %1</translation>
    </message>
    <message>
        <source>Allegro sent something this version of the app cannot read (%1). Please report it.</source>
        <translation>Allegro przysłało coś, czego ta wersja aplikacji nie potrafi odczytać (%1). Prosimy to zgłosić.</translation>
    </message>
    <message>
        <source>an integer of about %1 digits</source>
        <translation>liczba całkowita o około %1 cyfrach</translation>
    </message>
    <message>
        <source>is empty</source>
        <translation>jest puste</translation>
    </message>
    <message>
        <source>is not a string: %1</source>
        <translation>nie jest tekstem: %1</translation>
    </message>
    <message>
        <source>is not a list</source>
        <translation>nie jest listą</translation>
    </message>
    <message>
        <source>repeats %1: %2</source>
        <translation>powtarza %1: %2</translation>
    </message>
    <message>
        <source>adds up to more than the app can store exactly</source>
        <translation>w sumie przekracza to, co aplikacja może zapisać dokładnie</translation>
    </message>
    <message>
        <source>is missing (and so is %1)</source>
        <translation>nie ma wartości (tak samo jak %1)</translation>
    </message>
    <message>
        <source>is not a count: %1</source>
        <translation>nie jest liczbą sztuk: %1</translation>
    </message>
    <message>
        <source>times the price is too large to store exactly: %1</source>
        <translation>pomnożone przez cenę daje kwotę zbyt dużą, by zapisać ją dokładnie: %1</translation>
    </message>
    <message>
        <source>cannot be stored as JSON</source>
        <translation>nie może zostać zapisane jako JSON</translation>
    </message>
    <message>
        <source>is nested deeper than %1 levels</source>
        <translation>przekracza dopuszczalną głębokość zagnieżdżenia (%1)</translation>
    </message>
    <message>
        <source>holds a lone surrogate, which is not text: %1</source>
        <translation>zawiera niesparowany surogat (znak, który nie jest tekstem): %1</translation>
    </message>
    <message>
        <source>cannot be read exactly: %1</source>
        <translation>nie daje się dokładnie odczytać: %1</translation>
    </message>
    <message>
        <source>is not a finite number: %1</source>
        <translation>nie jest liczbą skończoną: %1</translation>
    </message>
    <message>
        <source>has a key that is not text: %1</source>
        <translation>ma klucz, który nie jest tekstem: %1</translation>
    </message>
    <message>
        <source>is not a JSON value: %1</source>
        <translation>nie jest wartością JSON: %1</translation>
    </message>
    <message>
        <source>is not a number: %1</source>
        <translation>nie jest liczbą: %1</translation>
    </message>
    <message>
        <source>is too large for an event id: %1</source>
        <translation>jest zbyt duże jak na identyfikator zdarzenia: %1</translation>
    </message>
    <message>
        <source>is not a date: %1</source>
        <translation>nie jest datą: %1</translation>
    </message>
    <message>
        <source>(no id)</source>
        <translation>(bez identyfikatora)</translation>
    </message>
    <message>
        <source>Order %1 %2</source>
        <translation>Zamówienie %1 %2</translation>
    </message>
    <message>
        <source>Order %1: the field %2 %3</source>
        <translation>Zamówienie %1: pole %2 %3</translation>
    </message>
    <message>
        <source>Order event %1 %2</source>
        <translation>Zdarzenie zamówienia %1 %2</translation>
    </message>
    <message>
        <source>Order event %1: the field %2 %3</source>
        <translation>Zdarzenie zamówienia %1: pole %2 %3</translation>
    </message>
    <message>
        <source>cannot be stored exactly in the database</source>
        <translation>nie może zostać dokładnie zapisane w bazie danych</translation>
    </message>
    <message>
        <source>is not one Allegro can have given (digits of a 64-bit number, at most a day past %1): %2</source>
        <translation>nie może pochodzić od Allegro (cyfry liczby 64-bitowej, najwyżej dzień po %1): %2</translation>
    </message>
    <message>
        <source>cannot be read</source>
        <translation>nie daje się odczytać</translation>
    </message>
    <message>
        <source>The invoice file is larger than the %1 Allegro takes.</source>
        <translation>Plik faktury przekracza %1 – największy rozmiar przyjmowany przez Allegro.</translation>
    </message>
    <message>
        <source>The stored order cannot be read (its data is damaged). Sync again to download it anew.</source>
        <translation>Zapisanego zamówienia nie da się odczytać (jego dane są uszkodzone). Zsynchronizuj ponownie, aby pobrać je od nowa.</translation>
    </message>
    <message>
        <source>This order could not be laid out on a page (%1); the others are printed.</source>
        <translation>Tego zamówienia nie udało się rozmieścić na stronie (%1); pozostałe zostały wydrukowane.</translation>
    </message>
    <message>
        <source>Only Allegro sets the status %1.</source>
        <translation>Status %1 ustawia tylko Allegro.</translation>
    </message>
    <message>
        <source>%1 is not a fulfillment status.</source>
        <translation>%1 nie jest statusem realizacji.</translation>
    </message>
    <message>
        <source>The buyer cancelled the order.</source>
        <translation>Kupujący anulował zamówienie.</translation>
    </message>
    <message>
        <source>The order is not paid yet.</source>
        <translation>Zamówienie nie jest jeszcze opłacone.</translation>
    </message>
    <message>
        <source>The order already has the status %1.</source>
        <translation>Zamówienie ma już status %1.</translation>
    </message>
    <message>
        <source>Choose the carrier.</source>
        <translation>Wybierz przewoźnika.</translation>
    </message>
    <message>
        <source>Enter the tracking number.</source>
        <translation>Wpisz numer przesyłki.</translation>
    </message>
    <message>
        <source>A tracking number has at most %1 characters.</source>
        <translation>Numer przesyłki może mieć najwyżej %1 znaków.</translation>
    </message>
    <message>
        <source>Enter the carrier&apos;s name.</source>
        <translation>Wpisz nazwę przewoźnika.</translation>
    </message>
    <message>
        <source>A carrier&apos;s name has at most %1 characters.</source>
        <translation>Nazwa przewoźnika może mieć najwyżej %1 znaków.</translation>
    </message>
    <message>
        <source>The file %1 could not be read: %2</source>
        <translation>Nie można odczytać pliku %1: %2</translation>
    </message>
    <message>
        <source>The file %1 is empty.</source>
        <translation>Plik %1 jest pusty.</translation>
    </message>
    <message>
        <source>%1 is not a PDF file: Allegro takes invoices only as PDF.</source>
        <translation>%1 nie jest plikiem PDF: Allegro przyjmuje faktury tylko w formacie PDF.</translation>
    </message>
    <message>
        <source>The buyer did not ask for an invoice for this order.</source>
        <translation>Kupujący nie prosił o fakturę do tego zamówienia.</translation>
    </message>
    <message>
        <source>Order %1 is not in the local database: sync first.</source>
        <translation>Zamówienia %1 nie ma w lokalnej bazie: najpierw zsynchronizuj.</translation>
    </message>
    <message>
        <source>The order is no longer in the local database.</source>
        <translation>Zamówienia nie ma już w lokalnej bazie.</translation>
    </message>
    <message>
        <source>The order&apos;s status was changed on Allegro to %1 in the meantime; it was not changed to %2.</source>
        <translation>Status zamówienia został w międzyczasie zmieniony na Allegro na %1; nie zmieniono go na %2.</translation>
    </message>
    <message>
        <source>Allegro&apos;s list of the order&apos;s tracking numbers could not be read whole, so it is not known whether %1 was added. Check the order on Allegro, then retry or discard.</source>
        <translation>Nie udało się odczytać całej listy numerów przesyłek zamówienia z Allegro, więc nie wiadomo, czy dodano %1. Sprawdź zamówienie na Allegro, a potem ponów lub odrzuć.</translation>
    </message>
    <message>
        <source>The invoice&apos;s file is no longer kept with the action: discard it and attach the file again.</source>
        <translation>Plik faktury nie jest już przechowywany z tą czynnością: odrzuć ją i dołącz plik ponownie.</translation>
    </message>
    <message>
        <source>The order&apos;s account is not connected.</source>
        <translation>Konto tego zamówienia nie jest połączone.</translation>
    </message>
    <message>
        <source>A tag&apos;s name cannot contain the control character %1. Type the name again without it.</source>
        <translation>Nazwa tagu nie może zawierać znaku sterującego %1. Wpisz nazwę ponownie, bez niego.</translation>
    </message>
    <message>
        <source>A tag needs a name.</source>
        <translation>Tag musi mieć nazwę.</translation>
    </message>
    <message>
        <source>A tag&apos;s name can be at most %1 characters long (this one has %2).</source>
        <translation>Nazwa tagu może mieć najwyżej %1 znaków (ta ma %2).</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a colour: give it as #rrggbb, e.g. #1e88e5.</source>
        <translation>„%1” to nie kolor: podaj go jako #rrggbb, np. #1e88e5.</translation>
    </message>
    <message>
        <source>A note cannot contain the control character %1. Remove it and save the note again.</source>
        <translation>Notatka nie może zawierać znaku sterującego %1. Usuń go i zapisz notatkę ponownie.</translation>
    </message>
    <message>
        <source>A note can be at most %1 characters long (this one has %2). Shorten it and save it again.</source>
        <translation>Notatka może mieć najwyżej %1 znaków (ta ma %2). Skróć ją i zapisz ponownie.</translation>
    </message>
    <message>
        <source>No order %1 is stored here (check the id, or sync first).</source>
        <translation>Nie ma tu zapisanego zamówienia %1 (sprawdź identyfikator albo najpierw zsynchronizuj zamówienia).</translation>
    </message>
    <message>
        <source>There is no tag named &quot;%1&quot;.</source>
        <translation>Nie ma tagu o nazwie „%1”.</translation>
    </message>
    <message>
        <source>Choose at least one order.</source>
        <translation>Wybierz co najmniej jedno zamówienie.</translation>
    </message>
    <message>
        <source>A tag named &quot;%1&quot; already exists.</source>
        <translation>Tag o nazwie „%1” już istnieje.</translation>
    </message>
    <message>
        <source>That tag no longer exists (deleted meanwhile?).</source>
        <translation>Ten tag już nie istnieje (może został w międzyczasie usunięty).</translation>
    </message>
    <message>
        <source>%1 orders are too many to print at once (at most %2). Select fewer orders or narrow the filter.</source>
        <translation>%1 zamówień to za dużo, by wydrukować je naraz (najwyżej %2). Zaznacz mniej zamówień lub zawęź filtr.</translation>
    </message>
    <message>
        <source>The printout could not be prepared for the printer. Save it as a PDF and print that instead.</source>
        <translation>Nie udało się przygotować wydruku dla drukarki. Zapisz go jako PDF i wydrukuj ten plik.</translation>
    </message>
    <message>
        <source>The printer cannot be used now. Check that it is on and connected, or choose another one.</source>
        <translation>Drukarki nie można teraz użyć. Sprawdź, czy jest włączona i podłączona, albo wybierz inną.</translation>
    </message>
    <message>
        <source>The printer stopped taking pages after page %1. Check it, then print again.</source>
        <translation>Drukarka przestała przyjmować strony po stronie %1. Sprawdź ją i wydrukuj ponownie.</translation>
    </message>
    <message>
        <source>Allegro emulator (%1)</source>
        <translation>Emulator Allegro (%1)</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export orders</source>
        <translation>Eksportuj zamówienia</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>Zamówienia</translation>
    </message>
    <message>
        <source>Line items</source>
        <translation>Pozycje</translation>
    </message>
    <message>
        <source>orders-%1</source>
        <translation>zamowienia-%1</translation>
    </message>
    <message>
        <source>Choose at least one column to export.</source>
        <translation>Wybierz co najmniej jedną kolumnę do eksportu.</translation>
    </message>
    <message>
        <source>Exporting to %1…</source>
        <translation>Eksportowanie do pliku %1…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Anulowanie…</translation>
    </message>
    <message>
        <source>CSV (Excel, LibreOffice, any program)</source>
        <translation>CSV (Excel, LibreOffice, dowolny program)</translation>
    </message>
    <message>
        <source>Excel workbook (XLSX)</source>
        <translation>Skoroszyt programu Excel (XLSX)</translation>
    </message>
    <message>
        <source>JSON (for programs)</source>
        <translation>JSON (dla programów)</translation>
    </message>
    <message numerus="yes">
        <source>All %Ln orders in the current view</source>
        <translation>
            <numerusform>Zamówienie w bieżącym widoku (%Ln)</numerusform>
            <numerusform>Wszystkie zamówienia w bieżącym widoku (%Ln)</numerusform>
            <numerusform>Wszystkie zamówienia w bieżącym widoku (%Ln)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The %Ln selected orders</source>
        <translation>
            <numerusform>Zaznaczone zamówienie (%Ln)</numerusform>
            <numerusform>Zaznaczone zamówienia (%Ln)</numerusform>
            <numerusform>Zaznaczone zamówienia (%Ln)</numerusform>
        </translation>
    </message>
    <message>
        <source>One row per order</source>
        <translation>Jeden wiersz na zamówienie</translation>
    </message>
    <message>
        <source>One row per line item (the order&apos;s columns repeated)</source>
        <translation>Jeden wiersz na pozycję (z powtórzonymi kolumnami zamówienia)</translation>
    </message>
    <message>
        <source>Semicolon ( ; )</source>
        <translation>Średnik ( ; )</translation>
    </message>
    <message>
        <source>Comma ( , )</source>
        <translation>Przecinek ( , )</translation>
    </message>
    <message>
        <source>Tab</source>
        <translation>Tabulator</translation>
    </message>
    <message>
        <source>Vertical bar ( | )</source>
        <translation>Kreska pionowa ( | )</translation>
    </message>
    <message>
        <source>Decimal comma (245,00)</source>
        <translation>Przecinek dziesiętny (245,00)</translation>
    </message>
    <message>
        <source>CSV</source>
        <translation>CSV</translation>
    </message>
    <message>
        <source>Separator:</source>
        <translation>Separator:</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Eksportuj…</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>Otwórz folder</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Zamknij</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>Format:</translation>
    </message>
    <message>
        <source>Orders:</source>
        <translation>Zamówienia:</translation>
    </message>
    <message>
        <source>Rows:</source>
        <translation>Wiersze:</translation>
    </message>
    <message>
        <source>Columns:</source>
        <translation>Kolumny:</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Anuluj</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Pliki CSV (*.csv)</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Skoroszyty programu Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>Pliki JSON (*.json)</translation>
    </message>
    <message numerus="yes">
        <source>Exported %Ln orders to %1.</source>
        <translation>
            <numerusform>Wyeksportowano %Ln zamówienie do pliku %1.</numerusform>
            <numerusform>Wyeksportowano %Ln zamówienia do pliku %1.</numerusform>
            <numerusform>Wyeksportowano %Ln zamówień do pliku %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %Ln rows (line items) to %1.</source>
        <translation>
            <numerusform>Wyeksportowano %Ln wiersz (pozycje zamówień) do pliku %1.</numerusform>
            <numerusform>Wyeksportowano %Ln wiersze (pozycje zamówień) do pliku %1.</numerusform>
            <numerusform>Wyeksportowano %Ln wierszy (pozycje zamówień) do pliku %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>The export failed because of an error in Allegro Desktop (%1). Nothing was written. Please report it.</source>
        <translation>Eksport nie powiódł się z powodu błędu w Allegro Desktop (%1). Nic nie zapisano. Prosimy o zgłoszenie błędu.</translation>
    </message>
    <message>
        <source>Export cancelled: no file was written.</source>
        <translation>Eksport anulowany: nie zapisano żadnego pliku.</translation>
    </message>
</context>
<context>
    <name>FigureFiles</name>
    <message>
        <source>Saved %1</source>
        <translation>Zapisano %1</translation>
    </message>
    <message>
        <source>The image could not be saved to %1. Check that the folder exists and you may write there, or choose another folder.</source>
        <translation>Nie udało się zapisać obrazu w %1. Sprawdź, czy folder istnieje i masz prawo w nim zapisywać, albo wybierz inny folder.</translation>
    </message>
    <message>
        <source>Save as</source>
        <translation>Zapisz jako</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>Obraz PNG (*.png)</translation>
    </message>
    <message>
        <source>CSV file (*.csv)</source>
        <translation>Plik CSV (*.csv)</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Skoroszyt programu Excel (*.xlsx)</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>Paid (or cash on delivery), not started yet</source>
        <translation>Opłacone (lub za pobraniem), jeszcze nierozpoczęte</translation>
    </message>
    <message>
        <source>Being prepared: processing, ready for shipment or pickup, suspended</source>
        <translation>W przygotowaniu: w realizacji, do wysłania, gotowe do odbioru, wstrzymane</translation>
    </message>
    <message>
        <source>Sent, picked up or returned</source>
        <translation>Wysłane, odebrane lub zwrócone</translation>
    </message>
    <message>
        <source>Cancelled by the buyer, by Allegro or by you</source>
        <translation>Anulowane przez kupującego, przez Allegro lub przez Ciebie</translation>
    </message>
    <message>
        <source>Bought, payment not finished</source>
        <translation>Kupione, płatność niezakończona</translation>
    </message>
    <message>
        <source>Every order</source>
        <translation>Wszystkie zamówienia</translation>
    </message>
    <message>
        <source>Actions waiting / failed</source>
        <translation>Akcje oczekujące / nieudane</translation>
    </message>
    <message>
        <source>Only orders with a status change or tracking number not sent to Allegro yet, or refused</source>
        <translation>Tylko zamówienia ze zmianą statusu lub numerem przesyłki, których jeszcze nie wysłano do Allegro albo które odrzucono</translation>
    </message>
    <message>
        <source>Search orders…</source>
        <translation>Szukaj zamówień…</translation>
    </message>
    <message>
        <source>Searches the order id, the buyer, e-mail, phone, city and items. Every word must match the start of a word; letter case and Polish letters do not matter (&quot;lodz&quot; finds &quot;Łódź&quot;). Ctrl+F</source>
        <translation>Przeszukuje ID zamówienia, kupującego, e-mail, telefon, miasto i przedmioty. Każde słowo musi pasować do początku wyrazu; wielkość liter i polskie znaki nie mają znaczenia („lodz” znajdzie „Łódź”). Ctrl+F</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>Widoki</translation>
    </message>
    <message>
        <source>Saved views: filters, sort and columns by name</source>
        <translation>Zapisane widoki: filtry, sortowanie i kolumny pod własną nazwą</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>Wyczyść filtry</translation>
    </message>
    <message>
        <source>Show every order again (the search, the dates, the quick filter and the extra filters)</source>
        <translation>Pokaż znowu wszystkie zamówienia (czyści wyszukiwanie, daty, szybki filtr i dodatkowe filtry)</translation>
    </message>
    <message>
        <source>The orders could not be read</source>
        <translation>Nie udało się odczytać zamówień</translation>
    </message>
    <message>
        <source>Filters</source>
        <translation>Filtry</translation>
    </message>
    <message>
        <source>Filters (%1)</source>
        <translation>Filtry (%1)</translation>
    </message>
    <message>
        <source>Delivery method, payment, marketplace, invoice and amount</source>
        <translation>Sposób dostawy, płatność, serwis, faktura i kwota</translation>
    </message>
    <message>
        <source>The orders could not be read: %1</source>
        <translation>Nie udało się odczytać zamówień: %1</translation>
    </message>
    <message>
        <source>Loading orders…</source>
        <translation>Wczytywanie zamówień…</translation>
    </message>
    <message>
        <source>1 order</source>
        <translation>1 zamówienie</translation>
    </message>
    <message numerus="yes">
        <source>%Ln orders</source>
        <translation>
            <numerusform>%Ln zamówienie</numerusform>
            <numerusform>%Ln zamówienia</numerusform>
            <numerusform>%Ln zamówień</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 · search from 2 characters</source>
        <translation>%1 · szukanie od 2 znaków</translation>
    </message>
</context>
<context>
    <name>FilterPanel</name>
    <message>
        <source>Delivery method</source>
        <translation>Sposób dostawy</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>Płatność</translation>
    </message>
    <message>
        <source>Marketplace</source>
        <translation>Serwis</translation>
    </message>
    <message>
        <source>Tags (any of them)</source>
        <translation>Tagi (dowolny z nich)</translation>
    </message>
    <message>
        <source>Any</source>
        <translation>Wszystkie</translation>
    </message>
    <message>
        <source>Invoice requested</source>
        <translation>Z fakturą</translation>
    </message>
    <message>
        <source>No invoice</source>
        <translation>Bez faktury</translation>
    </message>
    <message>
        <source>Invoice:</source>
        <translation>Faktura:</translation>
    </message>
    <message>
        <source>With a private note</source>
        <translation>Z prywatną notatką</translation>
    </message>
    <message>
        <source>Without a private note</source>
        <translation>Bez prywatnej notatki</translation>
    </message>
    <message>
        <source>Private note:</source>
        <translation>Prywatna notatka:</translation>
    </message>
    <message>
        <source>Total:</source>
        <translation>Kwota:</translation>
    </message>
    <message>
        <source>Clear these filters</source>
        <translation>Wyczyść te filtry</translation>
    </message>
    <message>
        <source>any</source>
        <translation>dowolna</translation>
    </message>
    <message>
        <source>(deleted tag)</source>
        <translation>(usunięty tag)</translation>
    </message>
</context>
<context>
    <name>HealthCheck</name>
    <message>
        <source>Allegro reachable</source>
        <translation>Dostępność Allegro</translation>
    </message>
    <message>
        <source>System keyring</source>
        <translation>Systemowy magazyn haseł</translation>
    </message>
    <message>
        <source>Sign-in</source>
        <translation>Logowanie</translation>
    </message>
    <message>
        <source>Order database</source>
        <translation>Baza zamówień</translation>
    </message>
    <message>
        <source>Free disk space</source>
        <translation>Wolne miejsce na dysku</translation>
    </message>
    <message>
        <source>Rate limit</source>
        <translation>Limit zapytań</translation>
    </message>
    <message>
        <source>Last sync</source>
        <translation>Ostatnia synchronizacja</translation>
    </message>
    <message>
        <source>Records kept aside</source>
        <translation>Odłożone rekordy</translation>
    </message>
</context>
<context>
    <name>HealthPage</name>
    <message>
        <source>Check again</source>
        <translation>Sprawdź ponownie</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Sprawdzanie…</translation>
    </message>
    <message numerus="yes">
        <source>%n check(s) failed.</source>
        <translation>
            <numerusform>%n test nie powiódł się.</numerusform>
            <numerusform>%n testy nie powiodły się.</numerusform>
            <numerusform>%n testów nie powiodło się.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Everything works; %n warning(s).</source>
        <translation>
            <numerusform>Wszystko działa; %n ostrzeżenie.</numerusform>
            <numerusform>Wszystko działa; %n ostrzeżenia.</numerusform>
            <numerusform>Wszystko działa; %n ostrzeżeń.</numerusform>
        </translation>
    </message>
    <message>
        <source>Everything works.</source>
        <translation>Wszystko działa.</translation>
    </message>
</context>
<context>
    <name>HeatMap</name>
    <message>
        <source>Orders bought per hour:</source>
        <translation>Zamówienia na godzinę:</translation>
    </message>
    <message numerus="yes">
        <source>%1, %2–%3: %Ln orders</source>
        <translation>
            <numerusform>%1, %2–%3: %Ln zamówienie</numerusform>
            <numerusform>%1, %2–%3: %Ln zamówienia</numerusform>
            <numerusform>%1, %2–%3: %Ln zamówień</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HistorySection</name>
    <message>
        <source>History</source>
        <translation>Historia</translation>
    </message>
    <message>
        <source>No events are stored for this order (Allegro keeps its order journal for 60 days).</source>
        <translation>Brak zapisanych zdarzeń dla tego zamówienia (Allegro przechowuje dziennik zamówień przez 60 dni).</translation>
    </message>
</context>
<context>
    <name>InvoiceDialog</name>
    <message>
        <source>Choose the invoice (PDF)</source>
        <translation>Wybierz fakturę (PDF)</translation>
    </message>
    <message>
        <source>PDF files (*.pdf *.PDF)</source>
        <translation>Pliki PDF (*.pdf *.PDF)</translation>
    </message>
    <message>
        <source>Attach invoice (PDF)</source>
        <translation>Dołącz fakturę (PDF)</translation>
    </message>
    <message>
        <source>Order: %1</source>
        <translation>Zamówienie: %1</translation>
    </message>
    <message>
        <source>C&amp;hange…</source>
        <translation>&amp;Zmień…</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>Plik:</translation>
    </message>
    <message>
        <source>Optional, e.g. FV 12/2026</source>
        <translation>Opcjonalnie, np. FV 12/2026</translation>
    </message>
    <message>
        <source>Invoice &amp;number:</source>
        <translation>&amp;Numer faktury:</translation>
    </message>
    <message>
        <source>Allegro shows the invoice to the buyer. A copy of the file is kept until it is sent: the file itself may be moved.</source>
        <translation>Allegro pokaże fakturę kupującemu. Kopia pliku jest przechowywana do czasu wysłania: sam plik można przenieść.</translation>
    </message>
    <message>
        <source>Attach</source>
        <translation>Dołącz</translation>
    </message>
</context>
<context>
    <name>InvoiceSection</name>
    <message>
        <source>Invoice</source>
        <translation>Faktura</translation>
    </message>
    <message>
        <source>No invoice requested</source>
        <translation>Bez faktury</translation>
    </message>
    <message>
        <source>Invoice requested</source>
        <translation>Z fakturą</translation>
    </message>
    <message>
        <source>NIP:</source>
        <translation>NIP:</translation>
    </message>
    <message>
        <source>VAT EU:</source>
        <translation>VAT UE:</translation>
    </message>
    <message>
        <source>%1:</source>
        <translation>%1:</translation>
    </message>
    <message>
        <source>Tax id</source>
        <translation>Nr podatkowy</translation>
    </message>
    <message>
        <source>Payment due:</source>
        <translation>Termin płatności:</translation>
    </message>
</context>
<context>
    <name>ItemsSection</name>
    <message>
        <source>Items</source>
        <translation>Przedmioty</translation>
    </message>
    <message>
        <source>SKU: %1</source>
        <translation>SKU: %1</translation>
    </message>
    <message>
        <source>Offer %1</source>
        <translation>Oferta %1</translation>
    </message>
    <message>
        <source>Delivery:</source>
        <translation>Dostawa:</translation>
    </message>
    <message>
        <source>Total to pay:</source>
        <translation>Do zapłaty:</translation>
    </message>
</context>
<context>
    <name>KeptAsidePage</name>
    <message>
        <source>Reading…</source>
        <translation>Odczytywanie…</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Konto</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Kiedy</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Rekord</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>Formularz</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Powód</translation>
    </message>
    <message>
        <source>What Allegro sent:</source>
        <translation>Co przysłało Allegro:</translation>
    </message>
    <message>
        <source>The records kept aside cannot be read: %1</source>
        <translation>Nie można odczytać odłożonych rekordów: %1</translation>
    </message>
    <message>
        <source>Nothing is kept aside: every order and event Allegro sent could be stored.</source>
        <translation>Nic nie zostało odłożone: każde zamówienie i zdarzenie przysłane przez Allegro udało się zapisać.</translation>
    </message>
    <message>
        <source>Allegro sent these orders and events in a form the app cannot store exactly. They are kept aside as received and do not stop the sync of the other orders; a kept form is asked for again at every sync. Select one to see what Allegro sent.</source>
        <translation>Allegro przysłało te zamówienia i zdarzenia w postaci, której aplikacja nie potrafi zapisać dokładnie. Są odłożone w takiej postaci, w jakiej przyszły, i nie wstrzymują synchronizacji pozostałych zamówień; o odłożony formularz aplikacja pyta ponownie przy każdej synchronizacji. Zaznacz rekord, aby zobaczyć, co przysłało Allegro.</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Zamówienie</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Zdarzenie</translation>
    </message>
</context>
<context>
    <name>LinkDialog</name>
    <message>
        <source>Open it yourself</source>
        <translation>Otwórz samodzielnie</translation>
    </message>
    <message>
        <source>Open the folder yourself</source>
        <translation>Otwórz folder samodzielnie</translation>
    </message>
    <message>
        <source>This desktop has no browser the app can start. Copy the address and open it in a browser:</source>
        <translation>Aplikacja nie może uruchomić przeglądarki na tym pulpicie. Skopiuj adres i otwórz go w przeglądarce:</translation>
    </message>
    <message>
        <source>This desktop has no file manager the app can start. The place is:</source>
        <translation>Aplikacja nie może uruchomić menedżera plików na tym pulpicie. To miejsce to:</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopiuj</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Skopiowano</translation>
    </message>
</context>
<context>
    <name>LogPage</name>
    <message>
        <source>Show:</source>
        <translation>Pokaż:</translation>
    </message>
    <message>
        <source>Everything</source>
        <translation>Wszystko</translation>
    </message>
    <message>
        <source>Information and above</source>
        <translation>Informacje i ważniejsze</translation>
    </message>
    <message>
        <source>Warnings and errors</source>
        <translation>Ostrzeżenia i błędy</translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation>Tylko błędy</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Odśwież</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>Otwórz folder dziennika</translation>
    </message>
    <message>
        <source>The log is empty so far (%1).</source>
        <translation>Dziennik jest na razie pusty (%1).</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Allegro Desktop</source>
        <translation>Allegro Desktop</translation>
    </message>
    <message>
        <source> — demo</source>
        <translation> — demo</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Plik</translation>
    </message>
    <message>
        <source>&amp;Sync now</source>
        <translation>&amp;Synchronizuj teraz</translation>
    </message>
    <message>
        <source>Fetch new and changed orders from Allegro now (F5)</source>
        <translation>Pobierz teraz nowe i zmienione zamówienia z Allegro (F5)</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>&amp;Eksportuj…</translation>
    </message>
    <message>
        <source>Export the orders shown, or the selected ones, to CSV, Excel or JSON (Ctrl+E)</source>
        <translation>Eksportuj widoczne lub zaznaczone zamówienia do pliku CSV, Excel lub JSON (Ctrl+E)</translation>
    </message>
    <message>
        <source>Print &amp;packing slips…</source>
        <translation>Drukuj listy zawartości &amp;paczek…</translation>
    </message>
    <message>
        <source>Packing slips of the selected orders, or of those shown (Ctrl+P)</source>
        <translation>Listy zawartości paczek zaznaczonych zamówień albo widocznych (Ctrl+P)</translation>
    </message>
    <message>
        <source>Print pic&amp;k list…</source>
        <translation>Drukuj listę &amp;kompletacyjną…</translation>
    </message>
    <message>
        <source>The items to pick for the selected orders, or those shown (Ctrl+Shift+P)</source>
        <translation>Produkty do skompletowania dla zaznaczonych zamówień albo widocznych (Ctrl+Shift+P)</translation>
    </message>
    <message>
        <source>&amp;Back up…</source>
        <translation>Utwórz &amp;kopię zapasową…</translation>
    </message>
    <message>
        <source>Save a copy of the order database to a file</source>
        <translation>Zapisz kopię bazy zamówień w pliku</translation>
    </message>
    <message>
        <source>&amp;Restore from backup…</source>
        <translation>&amp;Przywróć z kopii zapasowej…</translation>
    </message>
    <message>
        <source>Replace the order database with a backup (the current one is saved first)</source>
        <translation>Zastąp bazę zamówień kopią zapasową (bieżąca zostanie najpierw zachowana)</translation>
    </message>
    <message>
        <source>Se&amp;ttings…</source>
        <translation>&amp;Ustawienia…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Zakończ</translation>
    </message>
    <message>
        <source>&amp;Account</source>
        <translation>&amp;Konto</translation>
    </message>
    <message>
        <source>&amp;Connect an Allegro account…</source>
        <translation>&amp;Połącz konto Allegro…</translation>
    </message>
    <message>
        <source>&amp;Disconnect…</source>
        <translation>&amp;Odłącz…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Pomo&amp;c</translation>
    </message>
    <message>
        <source>&amp;Diagnostics…</source>
        <translation>&amp;Diagnostyka…</translation>
    </message>
    <message>
        <source>Health checks, the log, and a report to send to support</source>
        <translation>Testy stanu, dziennik i raport do wysłania pomocy technicznej</translation>
    </message>
    <message>
        <source>&amp;About Allegro Desktop</source>
        <translation>&amp;O programie Allegro Desktop</translation>
    </message>
    <message>
        <source>Toolbar</source>
        <translation>Pasek narzędzi</translation>
    </message>
    <message>
        <source>Account:</source>
        <translation>Konto:</translation>
    </message>
    <message>
        <source>Show the orders of one account, or of all</source>
        <translation>Pokaż zamówienia jednego konta lub wszystkich kont</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Anuluj</translation>
    </message>
    <message>
        <source>Stop this sync. What it has stored so far stays; the next sync continues.</source>
        <translation>Zatrzymaj synchronizację. Zapisane dotąd dane zostają; następna synchronizacja dokończy resztę.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Demo mode.&lt;/b&gt; The orders come from a built-in emulator of Allegro, not from allegro.pl. Nothing you do here touches a real account.</source>
        <translation>&lt;b&gt;Tryb demo.&lt;/b&gt; Zamówienia pochodzą z wbudowanego emulatora Allegro, a nie z allegro.pl. Nic, co tu zrobisz, nie wpływa na prawdziwe konto.</translation>
    </message>
    <message>
        <source>Connect again</source>
        <translation>Połącz ponownie</translation>
    </message>
    <message>
        <source>Welcome to Allegro Desktop</source>
        <translation>Witaj w Allegro Desktop</translation>
    </message>
    <message>
        <source>Your Allegro orders on your own computer: synced in the background, searchable, with statistics and spreadsheet export, and kept for as long as you like — even offline.</source>
        <translation>Twoje zamówienia z Allegro na Twoim komputerze: synchronizowane w tle, łatwe do przeszukania, ze statystykami i eksportem do arkusza, przechowywane tak długo, jak chcesz — nawet offline.</translation>
    </message>
    <message>
        <source>Not connected to Allegro</source>
        <translation>Nie połączono z Allegro</translation>
    </message>
    <message>
        <source>The orders of &lt;b&gt;%1&lt;/b&gt; stay on this computer. Syncing them is paused until the account is connected again.</source>
        <translation>Zamówienia konta &lt;b&gt;%1&lt;/b&gt; pozostają na tym komputerze. Ich synchronizacja jest wstrzymana do ponownego połączenia konta.</translation>
    </message>
    <message>
        <source>%1 (not connected)</source>
        <translation>%1 (niepołączone)</translation>
    </message>
    <message>
        <source>Connected to Allegro as &lt;b&gt;%1&lt;/b&gt;. The app keeps this account&apos;s orders on this computer and syncs them in the background.</source>
        <translation>Połączono z Allegro jako &lt;b&gt;%1&lt;/b&gt;. Aplikacja przechowuje zamówienia tego konta na tym komputerze i synchronizuje je w tle.</translation>
    </message>
    <message>
        <source>Connected as %1</source>
        <translation>Połączono jako %1</translation>
    </message>
    <message>
        <source>Allegro no longer accepts this app&apos;s access to &lt;b&gt;%1&lt;/b&gt; (for example after a password change, or the app was unlinked on allegro.pl). Connect the account again to resume syncing; your local orders stay.</source>
        <translation>Allegro nie akceptuje już dostępu aplikacji do konta &lt;b&gt;%1&lt;/b&gt; (np. po zmianie hasła lub odłączeniu aplikacji na allegro.pl). Połącz konto ponownie, aby wznowić synchronizację; zamówienia zapisane na komputerze zostają.</translation>
    </message>
    <message>
        <source>Syncing %1…</source>
        <translation>Synchronizacja konta %1…</translation>
    </message>
    <message>
        <source>%1 of %2 orders</source>
        <translation>zamówienia: %1 z %2</translation>
    </message>
    <message>
        <source>%1 orders</source>
        <translation>zamówienia: %1</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>%1: %2 — %3 (%4)</source>
        <translation>%1: %2 — %3 (%4)</translation>
    </message>
    <message>
        <source>Stopping the sync…</source>
        <translation>Zatrzymywanie synchronizacji…</translation>
    </message>
    <message>
        <source>Last sync: %1</source>
        <translation>Ostatnia synchronizacja: %1</translation>
    </message>
    <message>
        <source>Not synced yet</source>
        <translation>Jeszcze nie synchronizowano</translation>
    </message>
    <message>
        <source>Next try: %1</source>
        <translation>Następna próba: %1</translation>
    </message>
    <message>
        <source>Next sync: %1</source>
        <translation>Następna synchronizacja: %1</translation>
    </message>
    <message>
        <source>Automatic sync is off</source>
        <translation>Automatyczna synchronizacja wyłączona</translation>
    </message>
    <message>
        <source>Offline — the orders on this computer stay available</source>
        <translation>Offline — zamówienia na tym komputerze są nadal dostępne</translation>
    </message>
    <message>
        <source>Allegro asked the app to slow down for a while</source>
        <translation>Allegro poprosiło aplikację o chwilowe spowolnienie</translation>
    </message>
    <message>
        <source>%1 must be connected again</source>
        <translation>Do ponownego połączenia: %1</translation>
    </message>
    <message>
        <source>Allegro is having trouble right now</source>
        <translation>Allegro ma obecnie problemy</translation>
    </message>
    <message>
        <source>Another copy of Allegro Desktop is syncing these orders</source>
        <translation>Inna kopia Allegro Desktop synchronizuje te zamówienia</translation>
    </message>
    <message>
        <source>Syncing stopped: the order database is damaged</source>
        <translation>Synchronizacja wstrzymana: baza zamówień jest uszkodzona</translation>
    </message>
    <message>
        <source>Sync failed: %1</source>
        <translation>Synchronizacja nie powiodła się: %1</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>rozpoczynanie</translation>
    </message>
    <message>
        <source>reading the order history</source>
        <translation>pobieranie historii zamówień</translation>
    </message>
    <message>
        <source>reading the order history again</source>
        <translation>ponowne pobieranie historii zamówień</translation>
    </message>
    <message>
        <source>reading new events</source>
        <translation>pobieranie nowych zdarzeń</translation>
    </message>
    <message>
        <source>checking recent orders</source>
        <translation>sprawdzanie ostatnich zamówień</translation>
    </message>
    <message>
        <source>%1 (connect again)</source>
        <translation>%1 (połącz ponownie)</translation>
    </message>
    <message>
        <source>&amp;Connect another Allegro account…</source>
        <translation>&amp;Połącz kolejne konto Allegro…</translation>
    </message>
    <message>
        <source>&amp;Disconnect %1…</source>
        <translation>&amp;Odłącz %1…</translation>
    </message>
    <message>
        <source>All accounts</source>
        <translation>Wszystkie konta</translation>
    </message>
    <message>
        <source>Disconnect %1</source>
        <translation>Odłącz %1</translation>
    </message>
    <message>
        <source>Disconnect &lt;b&gt;%1&lt;/b&gt; from this app?</source>
        <translation>Odłączyć konto &lt;b&gt;%1&lt;/b&gt; od aplikacji?</translation>
    </message>
    <message>
        <source>The app forgets its access to the account. Do you want to keep the account&apos;s orders on this computer (you can still browse and export them), or delete them?</source>
        <translation>Aplikacja utraci dostęp do konta. Zachować zamówienia tego konta na tym komputerze (nadal będzie można je przeglądać i eksportować) czy je usunąć?</translation>
    </message>
    <message>
        <source>Disconnect, keep orders</source>
        <translation>Odłącz, zachowaj zamówienia</translation>
    </message>
    <message>
        <source>Disconnect, delete orders</source>
        <translation>Odłącz, usuń zamówienia</translation>
    </message>
    <message>
        <source>About Allegro Desktop</source>
        <translation>O programie Allegro Desktop</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Allegro Desktop %1&lt;/h3&gt;&lt;p&gt;A free, fast, private order manager for Allegro.pl sellers.&lt;/p&gt;&lt;p&gt;Open source under the GNU GPL v3 or later. Not affiliated with Allegro.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Allegro Desktop %1&lt;/h3&gt;&lt;p&gt;Darmowy, szybki i prywatny menedżer zamówień dla sprzedających na Allegro.pl.&lt;/p&gt;&lt;p&gt;Otwarte oprogramowanie na licencji GNU GPL w wersji 3 lub nowszej. Projekt niezależny od Allegro.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>ManageTagsDialog</name>
    <message>
        <source>Manage tags</source>
        <translation>Zarządzaj tagami</translation>
    </message>
    <message>
        <source>Tags are yours: kept on this computer, never sent to Allegro.</source>
        <translation>Tagi są Twoje: zapisane na tym komputerze, nigdy niewysyłane do Allegro.</translation>
    </message>
    <message>
        <source>&amp;Rename…</source>
        <translation>&amp;Zmień nazwę…</translation>
    </message>
    <message>
        <source>Change &amp;colour…</source>
        <translation>Zmień &amp;kolor…</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>&amp;Usuń…</translation>
    </message>
    <message>
        <source>No tags yet. Make one from the orders&apos; context menu: Tags → New tag…</source>
        <translation>Nie ma jeszcze tagów. Utwórz tag z menu kontekstowego zamówień: Tagi → Nowy tag…</translation>
    </message>
    <message>
        <source>%1 — 1 order</source>
        <translation>%1 — 1 zamówienie</translation>
    </message>
    <message numerus="yes">
        <source>%1 — %Ln orders</source>
        <translation>
            <numerusform>%1 — %Ln zamówienie</numerusform>
            <numerusform>%1 — %Ln zamówienia</numerusform>
            <numerusform>%1 — %Ln zamówień</numerusform>
        </translation>
    </message>
    <message>
        <source>Rename tag</source>
        <translation>Zmień nazwę tagu</translation>
    </message>
    <message>
        <source>Change the colour of a tag</source>
        <translation>Zmień kolor tagu</translation>
    </message>
    <message>
        <source>No order has it.</source>
        <translation>Nie ma go żadne zamówienie.</translation>
    </message>
    <message>
        <source>1 order has it; it is taken off it. The order stays.</source>
        <translation>Ma go 1 zamówienie; tag zostanie z niego zdjęty. Zamówienie zostaje.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln orders have it; it is taken off them. The orders stay.</source>
        <translation>
            <numerusform>Ma go %Ln zamówienie; tag zostanie z niego zdjęty. Zamówienie zostaje.</numerusform>
            <numerusform>Mają go %Ln zamówienia; tag zostanie z nich zdjęty. Zamówienia zostają.</numerusform>
            <numerusform>Ma go %Ln zamówień; tag zostanie z nich zdjęty. Zamówienia zostają.</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete the tag &quot;%1&quot;?</source>
        <translation>Usunąć tag „%1”?</translation>
    </message>
    <message>
        <source>Delete tag</source>
        <translation>Usuń tag</translation>
    </message>
</context>
<context>
    <name>MessageLine</name>
    <message>
        <source>Details…</source>
        <translation>Szczegóły…</translation>
    </message>
    <message>
        <source>Show the whole message</source>
        <translation>Pokaż cały komunikat</translation>
    </message>
</context>
<context>
    <name>NewOrdersBar</name>
    <message>
        <source>Show all orders</source>
        <translation>Pokaż wszystkie zamówienia</translation>
    </message>
    <message>
        <source>Showing 1 new order</source>
        <translation>Wyświetlane jest 1 nowe zamówienie</translation>
    </message>
    <message numerus="yes">
        <source>Showing %Ln new orders, newest first</source>
        <translation>
            <numerusform>Wyświetlane jest %Ln nowe zamówienie, od najnowszego</numerusform>
            <numerusform>Wyświetlane są %Ln nowe zamówienia, od najnowszych</numerusform>
            <numerusform>Wyświetlanych jest %Ln nowych zamówień, od najnowszych</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>NotificationsPage</name>
    <message>
        <source>Show a notification when new orders arrive</source>
        <translation>Pokazuj powiadomienie o nowych zamówieniach</translation>
    </message>
    <message>
        <source>Play a sound with it</source>
        <translation>Odtwarzaj przy tym dźwięk</translation>
    </message>
    <message>
        <source>This desktop has no system tray, so the notification shows inside the window, in a bar at its top, rather than on the desktop.</source>
        <translation>Ten pulpit nie ma zasobnika systemowego, więc powiadomienie pojawia się w oknie aplikacji, na pasku u jego góry, a nie na pulpicie.</translation>
    </message>
    <message>
        <source>Webhook address:</source>
        <translation>Adres webhooka:</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Usuń</translation>
    </message>
    <message>
        <source>Remove the webhook secret stored in the system keyring</source>
        <translation>Usuń sekret webhooka zapisany w systemowym magazynie haseł</translation>
    </message>
    <message>
        <source>Webhook secret:</source>
        <translation>Sekret webhooka:</translation>
    </message>
    <message>
        <source>Optional: the app sends each new order as JSON in an HTTP POST to this address (Slack, Discord, an automation tool…), signed with the secret (HMAC-SHA256). The secret is kept in the system keyring.</source>
        <translation>Opcjonalnie: aplikacja wysyła każde nowe zamówienie jako JSON w żądaniu HTTP POST na ten adres (Slack, Discord, narzędzie do automatyzacji…), podpisane sekretem (HMAC-SHA256). Sekret jest przechowywany w systemowym magazynie haseł.</translation>
    </message>
    <message>
        <source>This is not a web address. Enter one that starts with https:// (or http://), for example https://hooks.example.com/allegro.</source>
        <translation>To nie jest adres internetowy. Wpisz adres zaczynający się od https:// (lub http://), na przykład https://hooks.example.com/allegro.</translation>
    </message>
    <message>
        <source>Enter the webhook address too, or leave the secret empty.</source>
        <translation>Wpisz też adres webhooka albo zostaw sekret pusty.</translation>
    </message>
    <message>
        <source>The system keyring cannot be used</source>
        <translation>Nie można użyć systemowego magazynu haseł</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <source>1 new order</source>
        <translation>1 nowe zamówienie</translation>
    </message>
    <message numerus="yes">
        <source>%Ln new orders</source>
        <translation>
            <numerusform>%Ln nowe zamówienie</numerusform>
            <numerusform>%Ln nowe zamówienia</numerusform>
            <numerusform>%Ln nowych zamówień</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 from %2: %3</source>
        <translation>%1 od %2: %3</translation>
    </message>
    <message numerus="yes">
        <source>and %Ln more</source>
        <translation>
            <numerusform>i %Ln kolejne</numerusform>
            <numerusform>i %Ln kolejne</numerusform>
            <numerusform>i %Ln kolejnych</numerusform>
        </translation>
    </message>
    <message>
        <source>Allegro Desktop</source>
        <translation>Allegro Desktop</translation>
    </message>
    <message numerus="yes">
        <source>Syncing %1 has failed %n times in a row: %2</source>
        <translation>
            <numerusform>Synchronizacja konta %1 nie powiodła się %n raz z rzędu: %2</numerusform>
            <numerusform>Synchronizacja konta %1 nie powiodła się %n razy z rzędu: %2</numerusform>
            <numerusform>Synchronizacja konta %1 nie powiodła się %n razy z rzędu: %2</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 must be connected again: open Allegro Desktop and click Reconnect.</source>
        <translation>Konto %1 trzeba połączyć ponownie: otwórz Allegro Desktop i kliknij „Połącz ponownie”.</translation>
    </message>
</context>
<context>
    <name>OperationProgress</name>
    <message>
        <source>Cancel</source>
        <translation>Anuluj</translation>
    </message>
    <message>
        <source>The operation stopped because of an unexpected error (%1). The order database was not changed; the log has the details.</source>
        <translation>Operacja została przerwana przez nieoczekiwany błąd (%1). Baza zamówień nie została zmieniona; szczegóły są w logu.</translation>
    </message>
    <message>
        <source>Copying the orders…</source>
        <translation>Kopiowanie zamówień…</translation>
    </message>
    <message>
        <source>Checking the backup…</source>
        <translation>Sprawdzanie kopii zapasowej…</translation>
    </message>
    <message>
        <source>Saving the current orders…</source>
        <translation>Zapisywanie bieżących zamówień…</translation>
    </message>
    <message>
        <source>Restoring the backup…</source>
        <translation>Przywracanie kopii zapasowej…</translation>
    </message>
</context>
<context>
    <name>OrderActions</name>
    <message>
        <source>Find</source>
        <translation>Znajdź</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>&amp;Eksportuj…</translation>
    </message>
    <message>
        <source>Export orders to a spreadsheet (Ctrl+E)</source>
        <translation>Eksportuj zamówienia do arkusza kalkulacyjnego (Ctrl+E)</translation>
    </message>
    <message>
        <source>Print &amp;packing slips…</source>
        <translation>Drukuj listy zawartości &amp;paczek…</translation>
    </message>
    <message>
        <source>Print pic&amp;k list…</source>
        <translation>Drukuj listę &amp;kompletacyjną…</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopiuj</translation>
    </message>
    <message>
        <source>Copy order &amp;id</source>
        <translation>Kopiuj &amp;ID zamówienia</translation>
    </message>
    <message>
        <source>&amp;Open in Allegro</source>
        <translation>&amp;Otwórz w Allegro</translation>
    </message>
    <message>
        <source>&amp;Export selected…</source>
        <translation>&amp;Eksportuj zaznaczone…</translation>
    </message>
    <message>
        <source>Reset columns</source>
        <translation>Przywróć domyślne kolumny</translation>
    </message>
    <message>
        <source>No saved views yet</source>
        <translation>Brak zapisanych widoków</translation>
    </message>
    <message>
        <source>Save current view as…</source>
        <translation>Zapisz bieżący widok jako…</translation>
    </message>
    <message>
        <source>(Showing the new orders: “Show all orders” first)</source>
        <translation>(Pokazane są nowe zamówienia: najpierw „Pokaż wszystkie zamówienia”)</translation>
    </message>
    <message>
        <source>Delete view</source>
        <translation>Usuń widok</translation>
    </message>
    <message>
        <source>Save view</source>
        <translation>Zapisz widok</translation>
    </message>
    <message>
        <source>Name of this view (filters, sort and columns):</source>
        <translation>Nazwa widoku (filtry, sortowanie i kolumny):</translation>
    </message>
</context>
<context>
    <name>OrderActionsBar</name>
    <message>
        <source>Set status</source>
        <translation>Ustaw status</translation>
    </message>
    <message>
        <source>Set the fulfillment status on Allegro (of every selected order)</source>
        <translation>Ustaw status realizacji w Allegro (każdego zaznaczonego zamówienia)</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Ponów</translation>
    </message>
    <message>
        <source>Send it to Allegro again</source>
        <translation>Wyślij ponownie do Allegro</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Odrzuć</translation>
    </message>
    <message>
        <source>Do not send it; the order&apos;s later actions go on</source>
        <translation>Nie wysyłaj; kolejne akcje zamówienia pójdą dalej</translation>
    </message>
</context>
<context>
    <name>OrderColumn</name>
    <message>
        <source>Purchase date</source>
        <translation>Data zakupu</translation>
    </message>
    <message>
        <source>Order ID</source>
        <translation>ID zamówienia</translation>
    </message>
    <message>
        <source>Buyer login</source>
        <translation>Login kupującego</translation>
    </message>
    <message>
        <source>Buyer</source>
        <translation>Kupujący</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>Przedmioty</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Ilość</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Kwota</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>Płatność</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Purchase status</source>
        <translation>Status zakupu</translation>
    </message>
    <message>
        <source>Fulfillment status</source>
        <translation>Status realizacji</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>Dostawa</translation>
    </message>
    <message>
        <source>City</source>
        <translation>Miasto</translation>
    </message>
    <message>
        <source>Invoice</source>
        <translation>Faktura</translation>
    </message>
    <message>
        <source>Marketplace</source>
        <translation>Serwis</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Konto</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>Waluta</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Opłacone</translation>
    </message>
    <message>
        <source>Payment date</source>
        <translation>Data płatności</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Firma</translation>
    </message>
    <message>
        <source>Postal code</source>
        <translation>Kod pocztowy</translation>
    </message>
    <message>
        <source>Country</source>
        <translation>Kraj</translation>
    </message>
    <message>
        <source>Pickup point</source>
        <translation>Punkt odbioru</translation>
    </message>
    <message>
        <source>Delivery cost</source>
        <translation>Koszt dostawy</translation>
    </message>
    <message>
        <source>Invoice company</source>
        <translation>Firma na fakturze</translation>
    </message>
    <message>
        <source>Tax ID (NIP)</source>
        <translation>NIP</translation>
    </message>
    <message>
        <source>Message from buyer</source>
        <translation>Wiadomość od kupującego</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Notatka</translation>
    </message>
    <message>
        <source>Last change</source>
        <translation>Ostatnia zmiana</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tagi</translation>
    </message>
    <message>
        <source>Private note</source>
        <translation>Notatka prywatna</translation>
    </message>
    <message>
        <source>Offer ID</source>
        <translation>ID oferty</translation>
    </message>
    <message>
        <source>Offer title</source>
        <translation>Tytuł oferty</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Item quantity</source>
        <translation>Ilość w pozycji</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>Cena jednostkowa</translation>
    </message>
    <message>
        <source>Line total</source>
        <translation>Wartość pozycji</translation>
    </message>
</context>
<context>
    <name>OrderDetailsPanel</name>
    <message>
        <source>Select an order to see its details</source>
        <translation>Wybierz zamówienie, aby zobaczyć szczegóły</translation>
    </message>
    <message>
        <source>1 order selected</source>
        <translation>Zaznaczono 1 zamówienie</translation>
    </message>
    <message numerus="yes">
        <source>%Ln orders selected</source>
        <translation>
            <numerusform>Zaznaczono %Ln zamówienie</numerusform>
            <numerusform>Zaznaczono %Ln zamówienia</numerusform>
            <numerusform>Zaznaczono %Ln zamówień</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OrderLabelling</name>
    <message>
        <source>Ta&amp;gs</source>
        <translation>Ta&amp;gi</translation>
    </message>
    <message>
        <source>Ta&amp;gs…</source>
        <translation>Ta&amp;gi…</translation>
    </message>
    <message>
        <source>&amp;New tag…</source>
        <translation>&amp;Nowy tag…</translation>
    </message>
    <message>
        <source>&amp;Manage tags…</source>
        <translation>&amp;Zarządzaj tagami…</translation>
    </message>
    <message>
        <source>%1 (%2 of %3)</source>
        <translation>%1 (%2 z %3)</translation>
    </message>
    <message>
        <source>No tags yet</source>
        <translation>Nie ma jeszcze tagów</translation>
    </message>
    <message>
        <source>New tag</source>
        <translation>Nowy tag</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tagi</translation>
    </message>
    <message>
        <source>At most %1 orders at once: select fewer.</source>
        <translation>Najwyżej %1 zamówień naraz: zaznacz mniej.</translation>
    </message>
</context>
<context>
    <name>OrderLabelsBox</name>
    <message>
        <source>Tags</source>
        <translation>Tagi</translation>
    </message>
    <message>
        <source>Tags…</source>
        <translation>Tagi…</translation>
    </message>
    <message>
        <source>Add or remove this order&apos;s tags (Ctrl+G)</source>
        <translation>Dodaj lub zdejmij tagi tego zamówienia (Ctrl+G)</translation>
    </message>
    <message>
        <source>No tags</source>
        <translation>Brak tagów</translation>
    </message>
    <message>
        <source>Private note</source>
        <translation>Prywatna notatka</translation>
    </message>
    <message>
        <source>Only for you, kept on this computer (never sent to Allegro). Saved when you leave the field or press Ctrl+Enter.</source>
        <translation>Tylko dla Ciebie, zapisana na tym komputerze (nigdy niewysyłana do Allegro). Zapisuje się, gdy opuścisz pole lub naciśniesz Ctrl+Enter.</translation>
    </message>
    <message>
        <source>Too long to save: %1 of at most %2 characters. Shorten it.</source>
        <translation>Za długa, by ją zapisać: %1 z najwyżej %2 znaków. Skróć ją.</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Nie zapisano: %1</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Zapisywanie…</translation>
    </message>
    <message>
        <source>✓ Saved</source>
        <translation>✓ Zapisano</translation>
    </message>
    <message>
        <source>Not saved yet (leave the field or press Ctrl+Enter)</source>
        <translation>Jeszcze nie zapisano (opuść pole lub naciśnij Ctrl+Enter)</translation>
    </message>
    <message>
        <source>%1 characters left</source>
        <translation>Zostało znaków: %1</translation>
    </message>
</context>
<context>
    <name>OrderProcessing</name>
    <message>
        <source>Set &amp;status</source>
        <translation>Ustaw &amp;status</translation>
    </message>
    <message>
        <source>Add &amp;tracking number…</source>
        <translation>Dodaj numer &amp;przesyłki…</translation>
    </message>
    <message>
        <source>Attach &amp;invoice (PDF)…</source>
        <translation>Dołącz &amp;fakturę (PDF)…</translation>
    </message>
    <message>
        <source>Add a parcel&apos;s tracking number to the order (Ctrl+T)</source>
        <translation>Dodaj do zamówienia numer przesyłki (Ctrl+T)</translation>
    </message>
    <message>
        <source>One order at a time: each parcel has its own number</source>
        <translation>Po jednym zamówieniu: każda przesyłka ma własny numer</translation>
    </message>
    <message>
        <source>One order at a time</source>
        <translation>Jedno zamówienie naraz</translation>
    </message>
    <message>
        <source>Attach the invoice&apos;s PDF to the order on Allegro (Ctrl+I)</source>
        <translation>Dołącz plik PDF faktury do zamówienia w Allegro (Ctrl+I)</translation>
    </message>
    <message>
        <source>The buyer did not ask for an invoice for this order</source>
        <translation>Kupujący nie prosił o fakturę do tego zamówienia</translation>
    </message>
    <message>
        <source>Set status</source>
        <translation>Ustaw status</translation>
    </message>
    <message>
        <source>At most %1 orders at once: select fewer (Allegro&apos;s limits make a bigger run take many minutes).</source>
        <translation>Najwyżej %1 zamówień naraz: zaznacz mniej (przez limity Allegro większa partia trwałaby wiele minut).</translation>
    </message>
    <message numerus="yes">
        <source>Status %1 for %n orders</source>
        <translation>
            <numerusform>Status %1 dla %n zamówienia</numerusform>
            <numerusform>Status %1 dla %n zamówień</numerusform>
            <numerusform>Status %1 dla %n zamówień</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Set the status of %n orders to %1 on Allegro?</source>
        <translation>
            <numerusform>Ustawić w Allegro status %1 dla %n zamówienia?</numerusform>
            <numerusform>Ustawić w Allegro status %1 dla %n zamówień?</numerusform>
            <numerusform>Ustawić w Allegro status %1 dla %n zamówień?</numerusform>
        </translation>
    </message>
    <message>
        <source>Add tracking number</source>
        <translation>Dodaj numer przesyłki</translation>
    </message>
    <message>
        <source>Attach invoice (PDF)</source>
        <translation>Dołącz fakturę (PDF)</translation>
    </message>
    <message>
        <source>Order actions</source>
        <translation>Akcje na zamówieniach</translation>
    </message>
    <message>
        <source>An action on this order failed: see why, retry or discard it in the order&apos;s details</source>
        <translation>Akcja na tym zamówieniu nie powiodła się: sprawdź powód, ponów ją lub odrzuć w szczegółach zamówienia</translation>
    </message>
    <message>
        <source>Being changed to %1: waiting to be sent to Allegro</source>
        <translation>Zmiana na %1: czeka na wysłanie do Allegro</translation>
    </message>
    <message>
        <source>An action waits to be sent to Allegro</source>
        <translation>Akcja czeka na wysłanie do Allegro</translation>
    </message>
    <message>
        <source>Changed to %1 on Allegro; the next sync confirms it</source>
        <translation>Zmieniono w Allegro na %1; potwierdzi to następna synchronizacja</translation>
    </message>
    <message>
        <source>Status: %1</source>
        <translation>Status: %1</translation>
    </message>
    <message>
        <source>Tracking number %1 (%2)</source>
        <translation>Numer przesyłki %1 (%2)</translation>
    </message>
    <message>
        <source>Invoice %1 (%2)</source>
        <translation>Faktura %1 (%2)</translation>
    </message>
    <message>
        <source>Invoice %1</source>
        <translation>Faktura %1</translation>
    </message>
    <message>
        <source>Not sent yet, tried again at %1</source>
        <translation>Jeszcze niewysłane, ponowienie: %1</translation>
    </message>
    <message>
        <source>Waiting to be sent</source>
        <translation>Czeka na wysłanie</translation>
    </message>
    <message>
        <source>Being sent</source>
        <translation>W trakcie wysyłania</translation>
    </message>
    <message>
        <source>Sent %1</source>
        <translation>Wysłane %1</translation>
    </message>
    <message>
        <source>Failed %1</source>
        <translation>Nieudane %1</translation>
    </message>
    <message>
        <source>Discarded %1</source>
        <translation>Odrzucone %1</translation>
    </message>
</context>
<context>
    <name>OrderValue</name>
    <message>
        <source>Bought, checkout not completed</source>
        <translation>Kupione, bez formularza dostawy</translation>
    </message>
    <message>
        <source>Awaiting payment</source>
        <translation>Oczekuje na płatność</translation>
    </message>
    <message>
        <source>Paid, ready to process</source>
        <translation>Opłacone, do realizacji</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Anulowane</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Nowe</translation>
    </message>
    <message>
        <source>Processing</source>
        <translation>W realizacji</translation>
    </message>
    <message>
        <source>Ready for shipment</source>
        <translation>Gotowe do wysyłki</translation>
    </message>
    <message>
        <source>Ready for pickup</source>
        <translation>Gotowe do odbioru</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Wysłane</translation>
    </message>
    <message>
        <source>Picked up</source>
        <translation>Odebrane</translation>
    </message>
    <message>
        <source>Suspended</source>
        <translation>Wstrzymane</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>Zwrócone</translation>
    </message>
    <message>
        <source>To send</source>
        <translation>Do wysłania</translation>
    </message>
    <message>
        <source>Cash on delivery</source>
        <translation>Za pobraniem</translation>
    </message>
    <message>
        <source>Bank transfer</source>
        <translation>Przelew</translation>
    </message>
    <message>
        <source>Online payment</source>
        <translation>Płatność online</translation>
    </message>
    <message>
        <source>Split payment</source>
        <translation>Podzielona płatność</translation>
    </message>
    <message>
        <source>Deferred payment</source>
        <translation>Płatność odroczona</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Tak</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Nie</translation>
    </message>
    <message>
        <source>PayU</source>
        <translation>PayU</translation>
    </message>
    <message>
        <source>Przelewy24</source>
        <translation>Przelewy24</translation>
    </message>
    <message>
        <source>Allegro Finance</source>
        <translation>Allegro Finance</translation>
    </message>
    <message>
        <source>Paid on delivery</source>
        <translation>Płatność przy odbiorze</translation>
    </message>
    <message>
        <source>Allegro.pl</source>
        <translation>Allegro.pl</translation>
    </message>
    <message>
        <source>Allegro.cz</source>
        <translation>Allegro.cz</translation>
    </message>
    <message>
        <source>Allegro.sk</source>
        <translation>Allegro.sk</translation>
    </message>
    <message>
        <source>Allegro.hu</source>
        <translation>Allegro.hu</translation>
    </message>
    <message>
        <source>To process</source>
        <translation>Do realizacji</translation>
    </message>
    <message>
        <source>Unpaid</source>
        <translation>Nieopłacone</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Wszystkie</translation>
    </message>
    <message>
        <source>Bought</source>
        <translation>Kupione</translation>
    </message>
    <message>
        <source>Checkout completed, awaiting payment</source>
        <translation>Formularz wypełniony, oczekuje na płatność</translation>
    </message>
    <message>
        <source>Cancelled by the buyer</source>
        <translation>Anulowane przez kupującego</translation>
    </message>
    <message>
        <source>Seller&apos;s status changed</source>
        <translation>Zmiana statusu realizacji</translation>
    </message>
    <message>
        <source>Cancelled by Allegro (not paid in time)</source>
        <translation>Anulowane przez Allegro (brak płatności w terminie)</translation>
    </message>
    <message>
        <source>Buyer changed the delivery address</source>
        <translation>Kupujący zmienił adres dostawy</translation>
    </message>
    <message>
        <source>Poland</source>
        <translation>Polska</translation>
    </message>
    <message>
        <source>Czechia</source>
        <translation>Czechy</translation>
    </message>
    <message>
        <source>Slovakia</source>
        <translation>Słowacja</translation>
    </message>
    <message>
        <source>Hungary</source>
        <translation>Węgry</translation>
    </message>
    <message>
        <source>Germany</source>
        <translation>Niemcy</translation>
    </message>
    <message>
        <source>Lithuania</source>
        <translation>Litwa</translation>
    </message>
    <message>
        <source>Ukraine</source>
        <translation>Ukraina</translation>
    </message>
    <message>
        <source>Austria</source>
        <translation>Austria</translation>
    </message>
</context>
<context>
    <name>OrdersModel</name>
    <message>
        <source>Yes</source>
        <translation>Tak</translation>
    </message>
    <message>
        <source>Not paid</source>
        <translation>Nieopłacone</translation>
    </message>
    <message>
        <source>%1, paid</source>
        <translation>%1, opłacone</translation>
    </message>
    <message>
        <source>%1, not paid</source>
        <translation>%1, nieopłacone</translation>
    </message>
    <message>
        <source>%1
Ctrl+C copies the whole id</source>
        <translation>%1
Ctrl+C kopiuje cały identyfikator</translation>
    </message>
    <message>
        <source>On Allegro: %1 · %2</source>
        <translation>W Allegro: %1 · %2</translation>
    </message>
    <message>
        <source>Bought without an Allegro account</source>
        <translation>Zakup bez konta Allegro</translation>
    </message>
    <message>
        <source>Paid %1</source>
        <translation>Opłacono %1</translation>
    </message>
    <message>
        <source>Purchased</source>
        <translation>Data zakupu</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Zamówienie</translation>
    </message>
    <message>
        <source>Buyer login</source>
        <translation>Login kupującego</translation>
    </message>
    <message>
        <source>Buyer</source>
        <translation>Kupujący</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>Przedmioty</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>Ilość</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Kwota</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>Płatność</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Purchase status</source>
        <translation>Status zakupu</translation>
    </message>
    <message>
        <source>Fulfillment status</source>
        <translation>Status realizacji</translation>
    </message>
    <message>
        <source>What the buyer pays, delivery included. Sorted by currency, then amount</source>
        <translation>Kwota do zapłaty przez kupującego, z dostawą. Sortowanie według waluty, a potem kwoty</translation>
    </message>
    <message>
        <source>Allegro&apos;s purchase status, the buyer&apos;s side: bought, paid or cancelled</source>
        <translation>Status zakupu w Allegro, strona kupującego: kupione, opłacone lub anulowane</translation>
    </message>
    <message>
        <source>Allegro&apos;s fulfillment status, your side: the status you set on Allegro</source>
        <translation>Status realizacji w Allegro, Twoja strona: status ustawiony przez Ciebie w Allegro</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>Dostawa</translation>
    </message>
    <message>
        <source>City</source>
        <translation>Miasto</translation>
    </message>
    <message>
        <source>Invoice</source>
        <translation>Faktura</translation>
    </message>
    <message>
        <source>Marketplace</source>
        <translation>Serwis</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Konto</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tagi</translation>
    </message>
    <message>
        <source>Private note</source>
        <translation>Prywatna notatka</translation>
    </message>
    <message>
        <source>When the buyer bought (your time zone)</source>
        <translation>Kiedy kupujący dokonał zakupu (Twoja strefa czasowa)</translation>
    </message>
    <message>
        <source>Allegro&apos;s order number (checkout form id)</source>
        <translation>Numer zamówienia w Allegro (ID formularza zakupu)</translation>
    </message>
    <message>
        <source>How many pieces were bought in all</source>
        <translation>Łączna liczba kupionych sztuk</translation>
    </message>
    <message>
        <source>Where the order stands: to send, sent, unpaid, cancelled… (from Allegro&apos;s purchase and fulfillment statuses, which the details show). Sorting by it reads every order: a second or two in a very big shop</source>
        <translation>Na jakim etapie jest zamówienie: do wysłania, wysłane, nieopłacone, anulowane… (z dwóch statusów Allegro — zakupu i realizacji — widocznych w szczegółach). Sortowanie według niego czyta wszystkie zamówienia: w bardzo dużym sklepie sekundę lub dwie</translation>
    </message>
    <message>
        <source>Whether the buyer asked for an invoice</source>
        <translation>Czy kupujący prosi o fakturę</translation>
    </message>
    <message>
        <source>The Allegro account that sold it</source>
        <translation>Konto Allegro, na którym dokonano sprzedaży</translation>
    </message>
    <message>
        <source>Your tags (Ctrl+G). Sorting by them reads every order: a few seconds in a very big shop</source>
        <translation>Twoje tagi (Ctrl+G). Sortowanie po nich czyta wszystkie zamówienia: w bardzo dużym sklepie kilka sekund</translation>
    </message>
    <message>
        <source>The first line of your private note. Sorting by it reads every order: a few seconds in a very big shop</source>
        <translation>Pierwszy wiersz Twojej prywatnej notatki. Sortowanie po niej czyta wszystkie zamówienia: w bardzo dużym sklepie kilka sekund</translation>
    </message>
</context>
<context>
    <name>OrdersWorkspace</name>
    <message>
        <source>&lt;p style=&apos;font-size: large&apos;&gt;No orders yet&lt;/p&gt;&lt;p&gt;They appear here after the first sync.&lt;/p&gt;</source>
        <translation>&lt;p style=&apos;font-size: large&apos;&gt;Nie ma jeszcze zamówień&lt;/p&gt;&lt;p&gt;Pojawią się tutaj po pierwszej synchronizacji.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p style=&apos;font-size: large&apos;&gt;No orders match these filters&lt;/p&gt;&lt;p&gt;&lt;a href=&apos;clear&apos;&gt;Clear filters&lt;/a&gt;&lt;/p&gt;</source>
        <translation>&lt;p style=&apos;font-size: large&apos;&gt;Żadne zamówienie nie pasuje do tych filtrów&lt;/p&gt;&lt;p&gt;&lt;a href=&apos;clear&apos;&gt;Wyczyść filtry&lt;/a&gt;&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>OtherWindow</name>
    <message>
        <source>Allegro Desktop is already running with the data folder %1, but it does not answer. Close it, or end that process, then start Allegro Desktop again.</source>
        <translation>Allegro Desktop już działa z folderem danych %1, ale nie odpowiada. Zamknij go albo zakończ ten proces, a potem uruchom Allegro Desktop ponownie.</translation>
    </message>
    <message>
        <source>Allegro Desktop</source>
        <translation>Allegro Desktop</translation>
    </message>
</context>
<context>
    <name>Panel</name>
    <message>
        <source>Export</source>
        <translation>Eksportuj</translation>
    </message>
    <message>
        <source>Save this table as a CSV or Excel file</source>
        <translation>Zapisz tę tabelę jako plik CSV lub Excel</translation>
    </message>
    <message>
        <source>CSV file…</source>
        <translation>Plik CSV…</translation>
    </message>
    <message>
        <source>Excel file (XLSX)…</source>
        <translation>Plik Excel (XLSX)…</translation>
    </message>
    <message>
        <source>Save as PNG…</source>
        <translation>Zapisz jako PNG…</translation>
    </message>
    <message>
        <source>Save this chart as an image</source>
        <translation>Zapisz ten wykres jako obraz</translation>
    </message>
</context>
<context>
    <name>PaymentSection</name>
    <message>
        <source>Payment</source>
        <translation>Płatność</translation>
    </message>
    <message>
        <source>Paid %1</source>
        <translation>Opłacono %1</translation>
    </message>
    <message>
        <source>To be paid on delivery</source>
        <translation>Płatne przy odbiorze</translation>
    </message>
    <message>
        <source>Not paid</source>
        <translation>Nieopłacone</translation>
    </message>
    <message>
        <source>Amount paid:</source>
        <translation>Zapłacona kwota:</translation>
    </message>
    <message>
        <source>Surcharge: %1</source>
        <translation>Dopłata: %1</translation>
    </message>
</context>
<context>
    <name>PrintDialog</name>
    <message>
        <source>Print orders</source>
        <translation>Drukuj zamówienia</translation>
    </message>
    <message>
        <source>packing-slips-%1</source>
        <translation>listy-zawartosci-paczek-%1</translation>
    </message>
    <message>
        <source>pick-list-%1</source>
        <translation>lista-kompletacyjna-%1</translation>
    </message>
    <message>
        <source>Preparing the printout…</source>
        <translation>Przygotowywanie wydruku…</translation>
    </message>
    <message>
        <source>Preparing %1…</source>
        <translation>Przygotowywanie %1…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Anulowanie…</translation>
    </message>
    <message>
        <source>Packing slips (one for each order)</source>
        <translation>Listy zawartości paczek (po jednej na zamówienie)</translation>
    </message>
    <message>
        <source>Pick list (the items of all the orders, added up)</source>
        <translation>Lista kompletacyjna (produkty ze wszystkich zamówień, zsumowane)</translation>
    </message>
    <message>
        <source>A4</source>
        <translation>A4</translation>
    </message>
    <message>
        <source>Label 100 × 150 mm</source>
        <translation>Etykieta 100 × 150 mm</translation>
    </message>
    <message numerus="yes">
        <source>All %Ln orders in the current view</source>
        <translation>
            <numerusform>Zamówienie w bieżącym widoku (%Ln)</numerusform>
            <numerusform>Wszystkie zamówienia w bieżącym widoku (%Ln)</numerusform>
            <numerusform>Wszystkie zamówienia w bieżącym widoku (%Ln)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The %Ln selected orders</source>
        <translation>
            <numerusform>Zaznaczone zamówienie (%Ln)</numerusform>
            <numerusform>Zaznaczone zamówienia (%Ln)</numerusform>
            <numerusform>Zaznaczone zamówienia (%Ln)</numerusform>
        </translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>Drukuj…</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>Zapisz jako PDF…</translation>
    </message>
    <message>
        <source>Open PDF</source>
        <translation>Otwórz PDF</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Zamknij</translation>
    </message>
    <message>
        <source>Print:</source>
        <translation>Drukuj:</translation>
    </message>
    <message>
        <source>Page:</source>
        <translation>Format strony:</translation>
    </message>
    <message>
        <source>Orders:</source>
        <translation>Zamówienia:</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Anuluj</translation>
    </message>
    <message>
        <source>There are no orders to print in the current view.</source>
        <translation>W bieżącym widoku nie ma zamówień do wydrukowania.</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>Zapisz jako PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Pliki PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Reading the orders: %1 of %2…</source>
        <translation>Wczytywanie zamówień: %1 z %2…</translation>
    </message>
    <message>
        <source>Laying out the pages…</source>
        <translation>Układanie stron…</translation>
    </message>
    <message>
        <source>Printing page %1 of %2…</source>
        <translation>Drukowanie strony %1 z %2…</translation>
    </message>
    <message>
        <source>Cancelled: nothing more was printed or saved.</source>
        <translation>Anulowano: nic więcej nie zostało wydrukowane ani zapisane.</translation>
    </message>
    <message>
        <source>Printing failed because of an error in Allegro Desktop (%1). Please report it.</source>
        <translation>Drukowanie nie powiodło się z powodu błędu w Allegro Desktop (%1). Prosimy o zgłoszenie go.</translation>
    </message>
    <message>
        <source>No order could be printed: nothing was printed or saved.</source>
        <translation>Żadnego zamówienia nie udało się wydrukować: nic nie zostało wydrukowane ani zapisane.</translation>
    </message>
    <message>
        <source>1 page</source>
        <translation>1 strona</translation>
    </message>
    <message numerus="yes">
        <source>%Ln pages</source>
        <translation>
            <numerusform>%Ln strona</numerusform>
            <numerusform>%Ln strony</numerusform>
            <numerusform>%Ln stron</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Sent the packing slips of %Ln order(s) to the printer (%1).</source>
        <translation>
            <numerusform>Wysłano do drukarki listę zawartości paczki %Ln zamówienia (%1).</numerusform>
            <numerusform>Wysłano do drukarki listy zawartości paczek %Ln zamówień (%1).</numerusform>
            <numerusform>Wysłano do drukarki listy zawartości paczek %Ln zamówień (%1).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Sent the pick list of %Ln order(s) to the printer (%1).</source>
        <translation>
            <numerusform>Wysłano do drukarki listę kompletacyjną %Ln zamówienia (%1).</numerusform>
            <numerusform>Wysłano do drukarki listę kompletacyjną %Ln zamówień (%1).</numerusform>
            <numerusform>Wysłano do drukarki listę kompletacyjną %Ln zamówień (%1).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved the packing slips of %Ln order(s) to %2 (%1).</source>
        <translation>
            <numerusform>Zapisano listę zawartości paczki %Ln zamówienia w %2 (%1).</numerusform>
            <numerusform>Zapisano listy zawartości paczek %Ln zamówień w %2 (%1).</numerusform>
            <numerusform>Zapisano listy zawartości paczek %Ln zamówień w %2 (%1).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved the pick list of %Ln order(s) to %2 (%1).</source>
        <translation>
            <numerusform>Zapisano listę kompletacyjną %Ln zamówienia w %2 (%1).</numerusform>
            <numerusform>Zapisano listę kompletacyjną %Ln zamówień w %2 (%1).</numerusform>
            <numerusform>Zapisano listę kompletacyjną %Ln zamówień w %2 (%1).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Orders left out (%Ln):</source>
        <translation>
            <numerusform>Pominięte zamówienie (%Ln):</numerusform>
            <numerusform>Pominięte zamówienia (%Ln):</numerusform>
            <numerusform>Pominięte zamówienia (%Ln):</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Printouts</name>
    <message>
        <source>Qty</source>
        <translation>Ilość</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>SKU / offer</source>
        <translation>SKU / oferta</translation>
    </message>
    <message>
        <source>SKU %1</source>
        <translation>SKU %1</translation>
    </message>
    <message>
        <source>Offer %1</source>
        <translation>Oferta %1</translation>
    </message>
    <message>
        <source>Bought %1</source>
        <translation>Kupiono %1</translation>
    </message>
    <message>
        <source>Total %1</source>
        <translation>Razem %1</translation>
    </message>
    <message>
        <source>Packing slip</source>
        <translation>Lista zawartości paczki</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Zamówienie</translation>
    </message>
    <message>
        <source>Payment: %1</source>
        <translation>Płatność: %1</translation>
    </message>
    <message>
        <source>Buyer</source>
        <translation>Kupujący</translation>
    </message>
    <message>
        <source>Login: %1</source>
        <translation>Login: %1</translation>
    </message>
    <message>
        <source>Phone: %1</source>
        <translation>Telefon: %1</translation>
    </message>
    <message>
        <source>Pickup point</source>
        <translation>Punkt odbioru</translation>
    </message>
    <message>
        <source>Delivery address</source>
        <translation>Adres dostawy</translation>
    </message>
    <message>
        <source>The order has no delivery address.</source>
        <translation>Zamówienie nie ma adresu dostawy.</translation>
    </message>
    <message>
        <source>Items: %1 · pieces: %2</source>
        <translation>Pozycje: %1 · sztuk: %2</translation>
    </message>
    <message>
        <source>Message from the buyer</source>
        <translation>Wiadomość od kupującego</translation>
    </message>
    <message>
        <source>Seller&apos;s note</source>
        <translation>Notatka sprzedającego</translation>
    </message>
    <message>
        <source>Order %1 (continued)</source>
        <translation>Zamówienie %1 (ciąg dalszy)</translation>
    </message>
    <message>
        <source>Order %1 · page %2 of %3</source>
        <translation>Zamówienie %1 · strona %2 z %3</translation>
    </message>
    <message>
        <source>No orders to print.</source>
        <translation>Brak zamówień do wydruku.</translation>
    </message>
    <message>
        <source>For orders</source>
        <translation>Do zamówień</translation>
    </message>
    <message>
        <source>Pick list</source>
        <translation>Lista kompletacyjna</translation>
    </message>
    <message>
        <source>Orders: %1 · products: %2 · pieces: %3</source>
        <translation>Zamówienia: %1 · produkty: %2 · sztuk: %3</translation>
    </message>
    <message>
        <source>Pick list (continued)</source>
        <translation>Lista kompletacyjna (ciąg dalszy)</translation>
    </message>
    <message>
        <source>Pick list · page %1 of %2</source>
        <translation>Lista kompletacyjna · strona %1 z %2</translation>
    </message>
</context>
<context>
    <name>Quitting</name>
    <message>
        <source>Finishing the restore of the order database before quitting…</source>
        <translation>Kończenie przywracania bazy zamówień przed zamknięciem…</translation>
    </message>
    <message>
        <source>Finishing the deletion of a disconnected account&apos;s orders before quitting…</source>
        <translation>Kończenie usuwania zamówień odłączonego konta przed zamknięciem…</translation>
    </message>
</context>
<context>
    <name>RestoreController</name>
    <message>
        <source>Restore from backup</source>
        <translation>Przywracanie z kopii zapasowej</translation>
    </message>
    <message>
        <source>Allegro Desktop backups (*.sqlite3);;All files (*)</source>
        <translation>Kopie zapasowe Allegro Desktop (*.sqlite3);;Wszystkie pliki (*)</translation>
    </message>
    <message>
        <source>Checking the backup…</source>
        <translation>Sprawdzanie kopii zapasowej…</translation>
    </message>
    <message numerus="yes">
        <source>Restore the backup made %2, with %Ln order(s)?
%1</source>
        <translation>
            <numerusform>Przywrócić kopię zapasową z %2, zawierającą %Ln zamówienie?
%1</numerusform>
            <numerusform>Przywrócić kopię zapasową z %2, zawierającą %Ln zamówienia?
%1</numerusform>
            <numerusform>Przywrócić kopię zapasową z %2, zawierającą %Ln zamówień?
%1</numerusform>
        </translation>
    </message>
    <message>
        <source>The orders now on this computer are saved first, in the folder below. Orders that arrived after the backup are downloaded from Allegro again by the next sync.
%1</source>
        <translation>Zamówienia, które są teraz na tym komputerze, zostaną najpierw zachowane w folderze podanym niżej. Zamówienia, które wpłynęły po utworzeniu kopii, następna synchronizacja pobierze z Allegro ponownie.
%1</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Przywróć</translation>
    </message>
    <message numerus="yes">
        <source>Restored %Ln order(s) from:
%1</source>
        <translation>
            <numerusform>Przywrócono %Ln zamówienie z kopii:
%1</numerusform>
            <numerusform>Przywrócono %Ln zamówienia z kopii:
%1</numerusform>
            <numerusform>Przywrócono %Ln zamówień z kopii:
%1</numerusform>
        </translation>
    </message>
    <message>
        <source>The orders as they were before are kept in:
%1</source>
        <translation>Zamówienia w poprzednim stanie zachowano w:
%1</translation>
    </message>
</context>
<context>
    <name>SellerNoteSection</name>
    <message>
        <source>Your note</source>
        <translation>Twoja notatka</translation>
    </message>
</context>
<context>
    <name>SeriesChart</name>
    <message>
        <source>Orders</source>
        <translation>Zamówienia</translation>
    </message>
    <message>
        <source>Revenue (%1)</source>
        <translation>Przychód (%1)</translation>
    </message>
    <message>
        <source>week of %1</source>
        <translation>tydzień od %1</translation>
    </message>
    <message>
        <source>Orders: %1</source>
        <translation>Zamówienia: %1</translation>
    </message>
    <message>
        <source>Sold: %1</source>
        <translation>Sprzedano: %1</translation>
    </message>
    <message>
        <source>Revenue: %1</source>
        <translation>Przychód: %1</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Ustawienia</translation>
    </message>
    <message>
        <source>Allegro connection</source>
        <translation>Połączenie z Allegro</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Synchronizacja</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>Powiadomienia</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>Wygląd</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Dane</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>The system keyring cannot be used</source>
        <translation>Nie można użyć systemowego magazynu haseł</translation>
    </message>
    <message>
        <source>•••••••• (stored in the system keyring)</source>
        <translation>•••••••• (zapisany w systemowym magazynie haseł)</translation>
    </message>
    <message>
        <source>Not set</source>
        <translation>Nie ustawiono</translation>
    </message>
</context>
<context>
    <name>SplitChart</name>
    <message>
        <source>Orders: %1</source>
        <translation>Zamówienia: %1</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>Zamówienia</translation>
    </message>
</context>
<context>
    <name>StatsControls</name>
    <message>
        <source>Period:</source>
        <translation>Okres:</translation>
    </message>
    <message>
        <source>Show by:</source>
        <translation>Grupowanie:</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automatyczne</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Dzienne</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>Tygodniowe</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Miesięczne</translation>
    </message>
    <message>
        <source>Computing the statistics…</source>
        <translation>Obliczanie statystyk…</translation>
    </message>
    <message>
        <source>Only orders matching the Orders tab&apos;s filter</source>
        <translation>Tylko zamówienia pasujące do filtra karty Zamówienia</translation>
    </message>
    <message>
        <source>The Orders tab shows every order: nothing to narrow.</source>
        <translation>Karta Zamówienia pokazuje wszystkie zamówienia: nie ma czego zawężać.</translation>
    </message>
    <message>
        <source>Counted: %1</source>
        <translation>Uwzględniono: %1</translation>
    </message>
    <message>
        <source>Not applied: %1</source>
        <translation>Nie uwzględniono: %1</translation>
    </message>
    <message>
        <source>search “%1”</source>
        <translation>wyszukiwanie „%1”</translation>
    </message>
    <message>
        <source>bought %1 – %2</source>
        <translation>kupione %1 – %2</translation>
    </message>
    <message>
        <source>%1 delivery methods</source>
        <translation>sposoby dostawy: %1</translation>
    </message>
    <message>
        <source>payment types: %1</source>
        <translation>rodzaje płatności: %1</translation>
    </message>
    <message>
        <source>invoice requested</source>
        <translation>z fakturą</translation>
    </message>
    <message>
        <source>no invoice</source>
        <translation>bez faktury</translation>
    </message>
    <message>
        <source>total from %1</source>
        <translation>kwota od %1</translation>
    </message>
    <message>
        <source>total up to %1</source>
        <translation>kwota do %1</translation>
    </message>
</context>
<context>
    <name>StatsFigures</name>
    <message>
        <source>Orders</source>
        <translation>Zamówienia</translation>
    </message>
    <message>
        <source>Revenue</source>
        <translation>Przychód</translation>
    </message>
    <message>
        <source>Average order value</source>
        <translation>Średnia wartość zamówienia</translation>
    </message>
    <message>
        <source>Units sold</source>
        <translation>Sprzedane sztuki</translation>
    </message>
    <message>
        <source>Cancellation rate</source>
        <translation>Odsetek anulowanych</translation>
    </message>
    <message>
        <source>Unpaid share</source>
        <translation>Odsetek nieopłaconych</translation>
    </message>
    <message>
        <source>Orders and revenue over time</source>
        <translation>Zamówienia i przychód w czasie</translation>
    </message>
    <message>
        <source>The currency of the revenue line</source>
        <translation>Waluta linii przychodu</translation>
    </message>
    <message>
        <source>Top products by revenue</source>
        <translation>Najlepsze produkty według przychodu</translation>
    </message>
    <message>
        <source>Top products by units</source>
        <translation>Najlepsze produkty według liczby sztuk</translation>
    </message>
    <message>
        <source>Orders by delivery method</source>
        <translation>Zamówienia według sposobu dostawy</translation>
    </message>
    <message>
        <source>Orders by marketplace</source>
        <translation>Zamówienia według serwisu</translation>
    </message>
    <message>
        <source>When buyers buy (weekday and hour)</source>
        <translation>Kiedy kupujący robią zakupy (dzień tygodnia i godzina)</translation>
    </message>
    <message>
        <source>by day</source>
        <translation>w podziale na dni</translation>
    </message>
    <message>
        <source>by week</source>
        <translation>w podziale na tygodnie</translation>
    </message>
    <message>
        <source>by month</source>
        <translation>w podziale na miesiące</translation>
    </message>
    <message>
        <source>%1 – %2, compared with %3 – %4; charts %5.</source>
        <translation>%1 – %2 w porównaniu z %3 – %4; wykresy %5.</translation>
    </message>
    <message>
        <source>Delivery methods</source>
        <translation>Sposoby dostawy</translation>
    </message>
    <message>
        <source>Delivery method</source>
        <translation>Sposób dostawy</translation>
    </message>
    <message>
        <source>Marketplaces</source>
        <translation>Serwisy</translation>
    </message>
    <message>
        <source>Marketplace</source>
        <translation>Serwis</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(brak)</translation>
    </message>
    <message>
        <source>Previous period: no orders</source>
        <translation>Poprzedni okres: brak zamówień</translation>
    </message>
    <message>
        <source>Previous period: %1</source>
        <translation>Poprzedni okres: %1</translation>
    </message>
</context>
<context>
    <name>StatsFiles</name>
    <message>
        <source>orders-over-time</source>
        <translation>zamowienia-w-czasie</translation>
    </message>
    <message>
        <source>top-products-by-revenue</source>
        <translation>najlepsze-produkty-wg-przychodu</translation>
    </message>
    <message>
        <source>top-products-by-units</source>
        <translation>najlepsze-produkty-wg-sztuk</translation>
    </message>
    <message>
        <source>delivery-methods</source>
        <translation>sposoby-dostawy</translation>
    </message>
    <message>
        <source>marketplaces</source>
        <translation>serwisy</translation>
    </message>
    <message>
        <source>weekday-hour</source>
        <translation>dzien-tygodnia-godzina</translation>
    </message>
</context>
<context>
    <name>StatsTab</name>
    <message>
        <source>Today</source>
        <translation>Dzisiaj</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Wczoraj</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Ostatnie 7 dni</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Ostatnie 30 dni</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>Bieżący miesiąc</translation>
    </message>
    <message>
        <source>Last month</source>
        <translation>Poprzedni miesiąc</translation>
    </message>
    <message>
        <source>This year</source>
        <translation>Bieżący rok</translation>
    </message>
    <message>
        <source>Last 12 months</source>
        <translation>Ostatnie 12 miesięcy</translation>
    </message>
    <message>
        <source>All time</source>
        <translation>Cały okres</translation>
    </message>
    <message>
        <source>Custom range</source>
        <translation>Własny zakres</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>%1 pp</source>
        <translation>%1 p.p.</translation>
    </message>
    <message>
        <source>Statistics appear here once they are computed.</source>
        <translation>Statystyki pojawią się tutaj po ich obliczeniu.</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>Zamówienia</translation>
    </message>
    <message>
        <source>No orders match the Orders tab&apos;s filter in this period. Choose a longer period, or untick “Only orders matching the Orders tab&apos;s filter”.</source>
        <translation>Żadne zamówienie z tego okresu nie pasuje do filtra karty Zamówienia. Wybierz dłuższy okres albo odznacz „Tylko zamówienia pasujące do filtra karty Zamówienia”.</translation>
    </message>
    <message>
        <source>No orders yet. Statistics appear here once the first orders are synced from Allegro.</source>
        <translation>Nie ma jeszcze zamówień. Statystyki pojawią się tutaj, gdy pierwsze zamówienia zostaną zsynchronizowane z Allegro.</translation>
    </message>
    <message>
        <source>No orders in this period. Choose a longer period, such as “Last 12 months” or “All time”.</source>
        <translation>Brak zamówień w tym okresie. Wybierz dłuższy okres, np. „Ostatnie 12 miesięcy” lub „Cały okres”.</translation>
    </message>
    <message>
        <source>Revenue (%1)</source>
        <translation>Przychód (%1)</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Od</translation>
    </message>
    <message>
        <source>Sold</source>
        <translation>Sprzedano</translation>
    </message>
    <message>
        <source>Orders over time</source>
        <translation>Zamówienia w czasie</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>Offer</source>
        <translation>Oferta</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>Sztuki</translation>
    </message>
    <message>
        <source>Share of orders</source>
        <translation>Udział w zamówieniach</translation>
    </message>
    <message>
        <source>Weekday</source>
        <translation>Dzień tygodnia</translation>
    </message>
    <message>
        <source>Weekday and hour</source>
        <translation>Dzień tygodnia i godzina</translation>
    </message>
    <message>
        <source>The statistics could not be computed: %1</source>
        <translation>Nie udało się obliczyć statystyk: %1</translation>
    </message>
</context>
<context>
    <name>StatusBadges</name>
    <message>
        <source>Where the order stands, from Allegro&apos;s purchase and fulfillment statuses</source>
        <translation>Na jakim etapie jest zamówienie, według statusów zakupu i realizacji w Allegro</translation>
    </message>
    <message>
        <source>purchase: %1</source>
        <translation>zakup: %1</translation>
    </message>
    <message>
        <source>fulfillment: %1</source>
        <translation>realizacja: %1</translation>
    </message>
    <message>
        <source>On Allegro: %1</source>
        <translation>W Allegro: %1</translation>
    </message>
    <message>
        <source>Allegro&apos;s two statuses: the buyer&apos;s side (bought, paid, cancelled) and yours (the fulfillment status you set)</source>
        <translation>Dwa statusy Allegro: strona kupującego (kupione, opłacone, anulowane) i Twoja (ustawiony przez Ciebie status realizacji)</translation>
    </message>
</context>
<context>
    <name>SyncLogModel</name>
    <message>
        <source>Order history</source>
        <translation>Historia zamówień</translation>
    </message>
    <message>
        <source>New events</source>
        <translation>Nowe zdarzenia</translation>
    </message>
    <message>
        <source>Recheck of recent orders</source>
        <translation>Kontrola ostatnich zamówień</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>W toku</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>Udana</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Nieudana</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Anulowana</translation>
    </message>
    <message>
        <source>Interrupted (the app was closed)</source>
        <translation>Przerwana (aplikację zamknięto)</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 godz. %2 min</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Rozpoczęcie</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Konto</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Rodzaj</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Wynik</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Czas trwania</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Nowe</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Zmienione</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Zdarzenia</translation>
    </message>
    <message>
        <source>Calls to Allegro: how many times the app asked Allegro for data during this sync</source>
        <translation>Połączenia z Allegro: ile razy aplikacja pytała Allegro o dane podczas tej synchronizacji</translation>
    </message>
    <message>
        <source>Calls to Allegro the app repeated by itself after a network or Allegro server error</source>
        <translation>Połączenia z Allegro, które aplikacja sama powtórzyła po błędzie sieci lub serwera Allegro</translation>
    </message>
    <message>
        <source>Slow-downs</source>
        <translation>Spowolnienia</translation>
    </message>
    <message>
        <source>How many times Allegro asked the app to slow down (&quot;too many requests&quot;, HTTP 429): the app waited and carried on, nothing was lost</source>
        <translation>Ile razy Allegro poprosiło aplikację o zwolnienie („zbyt wiele zapytań”, HTTP 429): aplikacja odczekała i działała dalej, nic nie przepadło</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Błąd</translation>
    </message>
    <message>
        <source>Calls</source>
        <translation>Połączenia</translation>
    </message>
    <message>
        <source>Repeated</source>
        <translation>Powtórzone</translation>
    </message>
    <message>
        <source>Orders stored for the first time</source>
        <translation>Zamówienia zapisane po raz pierwszy</translation>
    </message>
    <message>
        <source>Stored orders that changed</source>
        <translation>Zapisane zamówienia, które się zmieniły</translation>
    </message>
    <message>
        <source>Entries of Allegro&apos;s order journal read</source>
        <translation>Odczytane wpisy dziennika zamówień Allegro</translation>
    </message>
</context>
<context>
    <name>SyncLogView</name>
    <message>
        <source>Refresh</source>
        <translation>Odśwież</translation>
    </message>
    <message>
        <source>Read the sync history again</source>
        <translation>Wczytaj ponownie historię synchronizacji</translation>
    </message>
    <message>
        <source>No syncs yet. Once an Allegro account is connected, every sync is listed here: when it ran, what it brought and, if it failed, why.</source>
        <translation>Nie było jeszcze synchronizacji. Po połączeniu konta Allegro każda synchronizacja pojawi się tutaj: kiedy się odbyła, co przyniosła i — jeśli się nie powiodła — dlaczego.</translation>
    </message>
    <message>
        <source>1 sync</source>
        <translation>1 synchronizacja</translation>
    </message>
    <message numerus="yes">
        <source>%Ln syncs</source>
        <translation>
            <numerusform>%Ln synchronizacja</numerusform>
            <numerusform>%Ln synchronizacje</numerusform>
            <numerusform>%Ln synchronizacji</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n nieudana</numerusform>
            <numerusform>%n nieudane</numerusform>
            <numerusform>%n nieudanych</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>Sync automatically:</source>
        <translation>Synchronizuj automatycznie:</translation>
    </message>
    <message>
        <source>How often the app fetches new and changed orders while it runs. Sync now (F5) always works.</source>
        <translation>Jak często aplikacja pobiera nowe i zmienione zamówienia, gdy jest uruchomiona. „Synchronizuj teraz” (F5) działa zawsze.</translation>
    </message>
    <message>
        <source>Everything Allegro still has</source>
        <translation>Wszystko, co Allegro jeszcze ma</translation>
    </message>
    <message>
        <source>The last</source>
        <translation>Ostatnie</translation>
    </message>
    <message>
        <source> months</source>
        <translation> mies.</translation>
    </message>
    <message>
        <source>First sync fetches:</source>
        <translation>Pierwsza synchronizacja pobiera:</translation>
    </message>
    <message>
        <source>How far back the first sync of an account reads its orders. Allegro keeps orders for at least 12 months and often still has older ones: by default the app fetches all of them.</source>
        <translation>Jak daleko wstecz pierwsza synchronizacja konta sięga po zamówienia. Allegro przechowuje zamówienia co najmniej 12 miesięcy i często ma jeszcze starsze: domyślnie aplikacja pobiera je wszystkie.</translation>
    </message>
    <message>
        <source>Keep orders forever</source>
        <translation>Przechowuj zamówienia zawsze</translation>
    </message>
    <message>
        <source>Delete orders older than</source>
        <translation>Usuwaj zamówienia starsze niż</translation>
    </message>
    <message>
        <source>Order history:</source>
        <translation>Historia zamówień:</translation>
    </message>
    <message>
        <source>The app keeps your orders longer than Allegro does. Deleting old ones only frees disk space on this computer; it never touches Allegro.</source>
        <translation>Aplikacja przechowuje zamówienia dłużej niż Allegro. Usuwanie starych zwalnia tylko miejsce na dysku tego komputera; niczego nie zmienia w Allegro.</translation>
    </message>
    <message>
        <source>Keep orders at least as long as the first sync fetches them (%1 months), or they would be deleted and fetched again.</source>
        <translation>Przechowuj zamówienia co najmniej tak długo, jak daleko sięga pierwsza synchronizacja (%1 mies.), bo inaczej byłyby usuwane i pobierane ponownie.</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Wyłączona</translation>
    </message>
    <message>
        <source>Every %1 seconds</source>
        <translation>Co %1 s</translation>
    </message>
    <message>
        <source>Every minute</source>
        <translation>Co minutę</translation>
    </message>
    <message>
        <source>Every %1 minutes</source>
        <translation>Co %1 min</translation>
    </message>
    <message>
        <source>Every hour</source>
        <translation>Co godzinę</translation>
    </message>
    <message>
        <source>Every %1 hours</source>
        <translation>Co %1 godz.</translation>
    </message>
</context>
<context>
    <name>TabsController</name>
    <message>
        <source>Orders</source>
        <translation>Zamówienia</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>Statystyki</translation>
    </message>
    <message>
        <source>Sync log</source>
        <translation>Dziennik synchronizacji</translation>
    </message>
</context>
<context>
    <name>TagDialog</name>
    <message>
        <source>e.g. to pack, waiting for stock</source>
        <translation>np. do spakowania, czeka na towar</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nazwa:</translation>
    </message>
    <message>
        <source>&amp;Colour:</source>
        <translation>&amp;Kolor:</translation>
    </message>
    <message>
        <source>Another tag already has this name.</source>
        <translation>Inny tag ma już tę nazwę.</translation>
    </message>
</context>
<context>
    <name>TrackingDialog</name>
    <message>
        <source>Add tracking number</source>
        <translation>Dodaj numer przesyłki</translation>
    </message>
    <message>
        <source>Order: %1</source>
        <translation>Zamówienie: %1</translation>
    </message>
    <message>
        <source>&amp;Carrier:</source>
        <translation>&amp;Przewoźnik:</translation>
    </message>
    <message>
        <source>The carrier&apos;s name</source>
        <translation>Nazwa przewoźnika</translation>
    </message>
    <message>
        <source>Carrier &amp;name:</source>
        <translation>Na&amp;zwa przewoźnika:</translation>
    </message>
    <message>
        <source>As printed on the parcel&apos;s label</source>
        <translation>Tak jak na etykiecie przesyłki</translation>
    </message>
    <message>
        <source>&amp;Tracking number:</source>
        <translation>&amp;Numer przesyłki:</translation>
    </message>
    <message>
        <source>&amp;Mark the order as sent</source>
        <translation>&amp;Oznacz zamówienie jako wysłane</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Dodaj</translation>
    </message>
    <message>
        <source>Other carrier</source>
        <translation>Inny przewoźnik</translation>
    </message>
    <message>
        <source>Reading Allegro&apos;s list of carriers…</source>
        <translation>Wczytywanie listy przewoźników z Allegro…</translation>
    </message>
    <message>
        <source>Allegro&apos;s list of carriers could not be read (%1); choose &quot;Other carrier&quot; and give its name, or try again later.</source>
        <translation>Nie udało się wczytać listy przewoźników z Allegro (%1); wybierz „Inny przewoźnik” i podaj jego nazwę albo spróbuj później.</translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message>
        <source>Show Allegro Desktop</source>
        <translation>Pokaż Allegro Desktop</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Synchronizuj teraz</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Zakończ</translation>
    </message>
    <message>
        <source>Allegro Desktop</source>
        <translation>Allegro Desktop</translation>
    </message>
    <message>
        <source>Allegro Desktop — 1 order to process</source>
        <translation>Allegro Desktop — 1 zamówienie do realizacji</translation>
    </message>
    <message numerus="yes">
        <source>Allegro Desktop — %Ln orders to process</source>
        <translation>
            <numerusform>Allegro Desktop — %Ln zamówienie do realizacji</numerusform>
            <numerusform>Allegro Desktop — %Ln zamówienia do realizacji</numerusform>
            <numerusform>Allegro Desktop — %Ln zamówień do realizacji</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UncaughtErrorBox</name>
    <message>
        <source>Allegro Desktop</source>
        <translation>Allegro Desktop</translation>
    </message>
    <message>
        <source>Something went wrong inside Allegro Desktop (%1). The app goes on, but what you just did may not have been done.</source>
        <translation>W Allegro Desktop wystąpił nieoczekiwany błąd (%1). Aplikacja działa dalej, ale to, co właśnie zrobiono, mogło się nie wykonać.</translation>
    </message>
    <message>
        <source>The details are in the log file (Help → Diagnostics…). Please report it.</source>
        <translation>Szczegóły są w dzienniku (Pomoc → Diagnostyka…). Prosimy zgłosić ten błąd.</translation>
    </message>
    <message numerus="yes">
        <source>%n more unexpected error(s) since the last message.</source>
        <translation>
            <numerusform>Od poprzedniego komunikatu wystąpił jeszcze %n nieoczekiwany błąd.</numerusform>
            <numerusform>Od poprzedniego komunikatu wystąpiły jeszcze %n nieoczekiwane błędy.</numerusform>
            <numerusform>Od poprzedniego komunikatu wystąpiło jeszcze %n nieoczekiwanych błędów.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Webhook</name>
    <message>
        <source>New order %1 from %2: %3</source>
        <translation>Nowe zamówienie %1 od %2: %3</translation>
    </message>
    <message>
        <source>New order %1 from %2</source>
        <translation>Nowe zamówienie %1 od %2</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>The app shows a short code, and you approve it on allegro.pl with your seller account. From then on your orders sync to this computer by themselves and stay available, even offline.</source>
        <translation>Aplikacja pokaże krótki kod, który zatwierdzisz na allegro.pl swoim kontem sprzedającego. Od tej chwili zamówienia same synchronizują się z tym komputerem i pozostają dostępne, nawet offline.</translation>
    </message>
    <message>
        <source>Connect one of the demo&apos;s seller accounts (%1): the emulator shows its own approval page with the code. Its orders then sync into this demo window, and nothing goes to allegro.pl.</source>
        <translation>Połącz jedno z kont sprzedających w wersji demo (%1): emulator pokaże własną stronę zatwierdzania z kodem. Zamówienia tego konta zsynchronizują się potem z tym oknem demo, a nic nie trafi do allegro.pl.</translation>
    </message>
    <message>
        <source>Connect Allegro</source>
        <translation>Połącz z Allegro</translation>
    </message>
    <message>
        <source>Try the demo</source>
        <translation>Wypróbuj demo</translation>
    </message>
    <message>
        <source>Opens a second window connected to a built-in emulator of Allegro, with a sample shop whose orders keep arriving. Nothing touches a real Allegro account, and your own data here stays as it is.</source>
        <translation>Otwiera drugie okno połączone z wbudowanym emulatorem Allegro, z przykładowym sklepem, do którego wciąż napływają zamówienia. Nic nie dotyka prawdziwego konta Allegro, a Twoje dane tutaj pozostają bez zmian.</translation>
    </message>
    <message>
        <source>The emulator holds &lt;b&gt;%1&lt;/b&gt; orders of the seller account &lt;b&gt;%2&lt;/b&gt;, and new orders keep arriving.</source>
        <translation>Zamówienia w emulatorze: &lt;b&gt;%1&lt;/b&gt; (konto sprzedającego: &lt;b&gt;%2&lt;/b&gt;). Wciąż przybywają nowe.</translation>
    </message>
    <message>
        <source>The emulator holds &lt;b&gt;%1&lt;/b&gt; orders of the seller accounts &lt;b&gt;%2&lt;/b&gt;, and new orders keep arriving.</source>
        <translation>Zamówienia w emulatorze: &lt;b&gt;%1&lt;/b&gt; (konta sprzedających: &lt;b&gt;%2&lt;/b&gt;). Wciąż przybywają nowe.</translation>
    </message>
    <message>
        <source>Emulator address: &lt;a href=&quot;%1&quot;&gt;%1&lt;/a&gt;</source>
        <translation>Adres emulatora: &lt;a href=&quot;%1&quot;&gt;%1&lt;/a&gt;</translation>
    </message>
    <message>
        <source>Your data is kept in: %1</source>
        <translation>Folder z Twoimi danymi: %1</translation>
    </message>
    <message>
        <source>The demo is starting in a separate window; it may take a few seconds. Close it when you are done: this window stays as it is.</source>
        <translation>Demo uruchamia się w osobnym oknie; może to potrwać kilka sekund. Zamknij je, gdy skończysz: to okno pozostanie bez zmian.</translation>
    </message>
    <message>
        <source>The demo could not be started. Try again, or start it from a terminal with: allegro-desktop --demo</source>
        <translation>Nie udało się uruchomić demo. Spróbuj ponownie albo uruchom je z terminala poleceniem: allegro-desktop --demo</translation>
    </message>
</context>
<context>
    <name>WindowNotice</name>
    <message>
        <source>Show</source>
        <translation>Pokaż</translation>
    </message>
    <message>
        <source>Show these orders in the table</source>
        <translation>Pokaż te zamówienia w tabeli</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Zamknij</translation>
    </message>
</context>
</TS>
