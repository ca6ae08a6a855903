<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB">
<context>
    <name>BackupController</name>
    <message numerus="yes">
        <source>Backed up %Ln order(s) to:
%1
The backup was checked and is complete.</source>
        <translation>
            <numerusform>Backed up %Ln order to:
%1
The backup was checked and is complete.</numerusform>
            <numerusform>Backed up %Ln orders to:
%1
The backup was checked and is complete.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BulkProgressDialog</name>
    <message numerus="yes">
        <source>%n sent</source>
        <translation>
            <numerusform>%n sent</numerusform>
            <numerusform>%n sent</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n failed</numerusform>
            <numerusform>%n failed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n not possible</source>
        <translation>
            <numerusform>%n not possible</numerusform>
            <numerusform>%n not possible</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n to be tried again</source>
        <translation>
            <numerusform>%n to be tried again</numerusform>
            <numerusform>%n to be tried again</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n cancelled</source>
        <translation>
            <numerusform>%n cancelled</numerusform>
            <numerusform>%n cancelled</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DataPage</name>
    <message numerus="yes">
        <source>Every %n days</source>
        <translation>
            <numerusform>Every day</numerusform>
            <numerusform>Every %n days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message numerus="yes">
        <source>All %Ln orders in the current view</source>
        <translation>
            <numerusform>The %Ln order in the current view</numerusform>
            <numerusform>All %Ln orders in the current view</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The %Ln selected orders</source>
        <translation>
            <numerusform>The %Ln selected order</numerusform>
            <numerusform>The %Ln selected orders</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %Ln orders to %1.</source>
        <translation>
            <numerusform>Exported %Ln order to %1.</numerusform>
            <numerusform>Exported %Ln orders to %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %Ln rows (line items) to %1.</source>
        <translation>
            <numerusform>Exported %Ln row (line item) to %1.</numerusform>
            <numerusform>Exported %Ln rows (line items) to %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message numerus="yes">
        <source>%Ln orders</source>
        <translation>
            <numerusform>%Ln order</numerusform>
            <numerusform>%Ln orders</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HealthPage</name>
    <message numerus="yes">
        <source>%n check(s) failed.</source>
        <translation>
            <numerusform>%n check failed.</numerusform>
            <numerusform>%n checks failed.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Everything works; %n warning(s).</source>
        <translation>
            <numerusform>Everything works; %n warning.</numerusform>
            <numerusform>Everything works; %n warnings.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HeatMap</name>
    <message numerus="yes">
        <source>%1, %2–%3: %Ln orders</source>
        <translation>
            <numerusform>%1, %2–%3: %Ln order</numerusform>
            <numerusform>%1, %2–%3: %Ln orders</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ManageTagsDialog</name>
    <message numerus="yes">
        <source>%1 — %Ln orders</source>
        <translation>
            <numerusform>%1 — %Ln order</numerusform>
            <numerusform>%1 — %Ln orders</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln orders have it; it is taken off them. The orders stay.</source>
        <translation>
            <numerusform>%Ln order has it; it is taken off it. The order stays.</numerusform>
            <numerusform>%Ln orders have it; it is taken off them. The orders stay.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>NewOrdersBar</name>
    <message numerus="yes">
        <source>Showing %Ln new orders, newest first</source>
        <translation>
            <numerusform>Showing %Ln new order</numerusform>
            <numerusform>Showing %Ln new orders, newest first</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message numerus="yes">
        <source>%Ln new orders</source>
        <translation>
            <numerusform>%Ln new order</numerusform>
            <numerusform>%Ln new orders</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>and %Ln more</source>
        <translation>
            <numerusform>and %Ln more</numerusform>
            <numerusform>and %Ln more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Syncing %1 has failed %n times in a row: %2</source>
        <translation>
            <numerusform>Syncing %1 has failed: %2</numerusform>
            <numerusform>Syncing %1 has failed %n times in a row: %2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OrderDetailsPanel</name>
    <message numerus="yes">
        <source>%Ln orders selected</source>
        <translation>
            <numerusform>%Ln order selected</numerusform>
            <numerusform>%Ln orders selected</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OrderProcessing</name>
    <message numerus="yes">
        <source>Status %1 for %n orders</source>
        <translation>
            <numerusform>Status %1 for %n order</numerusform>
            <numerusform>Status %1 for %n orders</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Set the status of %n orders to %1 on Allegro?</source>
        <translation>
            <numerusform>Set the status of %n order to %1 on Allegro?</numerusform>
            <numerusform>Set the status of %n orders to %1 on Allegro?</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PrintDialog</name>
    <message numerus="yes">
        <source>All %Ln orders in the current view</source>
        <translation>
            <numerusform>The %Ln order in the current view</numerusform>
            <numerusform>All %Ln orders in the current view</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The %Ln selected orders</source>
        <translation>
            <numerusform>The %Ln selected order</numerusform>
            <numerusform>The %Ln selected orders</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln pages</source>
        <translation>
            <numerusform>%Ln page</numerusform>
            <numerusform>%Ln pages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Sent the packing slips of %Ln order(s) to the printer (%1).</source>
        <translation>
            <numerusform>Sent the packing slip of %Ln order to the printer (%1).</numerusform>
            <numerusform>Sent the packing slips of %Ln orders to the printer (%1).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Sent the pick list of %Ln order(s) to the printer (%1).</source>
        <translation>
            <numerusform>Sent the pick list of %Ln order to the printer (%1).</numerusform>
            <numerusform>Sent the pick list of %Ln orders to the printer (%1).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved the packing slips of %Ln order(s) to %2 (%1).</source>
        <translation>
            <numerusform>Saved the packing slip of %Ln order to %2 (%1).</numerusform>
            <numerusform>Saved the packing slips of %Ln orders to %2 (%1).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved the pick list of %Ln order(s) to %2 (%1).</source>
        <translation>
            <numerusform>Saved the pick list of %Ln order to %2 (%1).</numerusform>
            <numerusform>Saved the pick list of %Ln orders to %2 (%1).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Orders left out (%Ln):</source>
        <translation>
            <numerusform>Order left out (%Ln):</numerusform>
            <numerusform>Orders left out (%Ln):</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RestoreController</name>
    <message numerus="yes">
        <source>Restore the backup made %2, with %Ln order(s)?
%1</source>
        <translation>
            <numerusform>Restore the backup made %2, with %Ln order?
%1</numerusform>
            <numerusform>Restore the backup made %2, with %Ln orders?
%1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Restored %Ln order(s) from:
%1</source>
        <translation>
            <numerusform>Restored %Ln order from:
%1</numerusform>
            <numerusform>Restored %Ln orders from:
%1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SyncLogView</name>
    <message numerus="yes">
        <source>%Ln syncs</source>
        <translation>
            <numerusform>%Ln sync</numerusform>
            <numerusform>%Ln syncs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n failed</numerusform>
            <numerusform>%n failed</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message numerus="yes">
        <source>Allegro Desktop — %Ln orders to process</source>
        <translation>
            <numerusform>Allegro Desktop — %Ln order to process</numerusform>
            <numerusform>Allegro Desktop — %Ln orders to process</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UncaughtErrorBox</name>
    <message numerus="yes">
        <source>%n more unexpected error(s) since the last message.</source>
        <translation>
            <numerusform>%n more unexpected error since the last message.</numerusform>
            <numerusform>%n more unexpected errors since the last message.</numerusform>
        </translation>
    </message>
</context>
</TS>
