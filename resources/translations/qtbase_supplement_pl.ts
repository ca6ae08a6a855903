<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pl_PL" sourcelanguage="en">
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>&amp;Szukaj w:</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>Pliki &amp;rodzaju:</translation>
    </message>
</context>
<context>
    <name>QCupsJobWidget</name>
    <message>
        <source>Scheduled &amp;printing:</source>
        <translation>&amp;Zaplanowane drukowanie:</translation>
    </message>
    <message>
        <source>&amp;Billing information:</source>
        <translation>Informacje &amp;rozliczeniowe:</translation>
    </message>
    <message>
        <source>Job &amp;priority:</source>
        <translation>Priory&amp;tet zadania:</translation>
    </message>
    <message>
        <source>Banner page at start</source>
        <translation>Strona oddzielająca na początku</translation>
    </message>
    <message>
        <source>&amp;Start:</source>
        <translation>Na &amp;początku:</translation>
    </message>
    <message>
        <source>Banner page at end</source>
        <translation>Strona oddzielająca na końcu</translation>
    </message>
    <message>
        <source>&amp;End:</source>
        <translation>Na &amp;końcu:</translation>
    </message>
</context>
<context>
    <name>QPageSetupWidget</name>
    <message>
        <source>Pages &amp;per sheet:</source>
        <translation>&amp;Stron na arkusz:</translation>
    </message>
    <message>
        <source>Page &amp;order:</source>
        <translation>&amp;Kolejność stron:</translation>
    </message>
</context>
<context>
    <name>QPrintPropertiesWidget</name>
    <message>
        <source>Advanced</source>
        <translation>Zaawansowane</translation>
    </message>
</context>
<context>
    <name>QPrintSettingsOutput</name>
    <message>
        <source>Double Sided Printing</source>
        <translation>Drukowanie dwustronne</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Wyłączone</translation>
    </message>
    <message>
        <source>Long side binding</source>
        <translation>Łączenie wzdłuż dłuższej krawędzi</translation>
    </message>
    <message>
        <source>Short side binding</source>
        <translation>Łączenie wzdłuż krótszej krawędzi</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Strony</translation>
    </message>
    <message>
        <source>Page &amp;Set:</source>
        <translation>&amp;Zestaw stron:</translation>
    </message>
    <message>
        <source>Specify pages or ranges separated by commas. Ranges are specified by two numbers separated by a hyphen. E.g: 3,5-7,9 prints pages 3, 5, 6, 7 and 9.</source>
        <translation>Podaj strony lub zakresy stron oddzielone przecinkami. Zakres to dwie liczby połączone łącznikiem, np. 3,5-7,9 drukuje strony 3, 5, 6, 7 i 9.</translation>
    </message>
</context>
</TS>
