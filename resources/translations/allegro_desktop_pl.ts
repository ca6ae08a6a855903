<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pl_PL" sourcelanguage="en">
<context>
    <name>AccountsController</name>
    <message>
        <source>Allegro Desktop</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConnectDialog</name>
    <message>
        <source>Connect Allegro</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect your Allegro account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking Allegro for a code…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1. Open Allegro with the button below, or scan the QR code with your phone.&lt;br&gt;2. Log in if asked, check that Allegro shows this code, and click &lt;b&gt;Pozwól&lt;/b&gt; (Allow).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the code to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Allegro in the browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan with your phone to open Allegro with the code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for you to approve the app on Allegro…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved. Reading your account…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Access was denied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You (or someone) clicked Odmów (Deny) on Allegro. Click Try again for a new code if that was a mistake.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The code expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The code is valid for a limited time and works only once. Click Try again for a new code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This copy of the app cannot log in to Allegro</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allegro cannot be reached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check your internet connection, then click Try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An unexpected error occurred (details are in the log). Click Try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The code expires in %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Allegro Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> — demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Sync now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fetch new and changed orders from Allegro now (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect an Allegro account…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Disconnect…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Allegro Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Toolbar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop this sync. What it has stored so far stays; the next sync continues.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Demo mode.&lt;/b&gt; The orders come from a built-in emulator of Allegro, not from allegro.pl. Nothing you do here touches a real account.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect Allegro</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The emulator holds &lt;b&gt;%1&lt;/b&gt; orders of the seller account(s) &lt;b&gt;%2&lt;/b&gt;, and new orders keep arriving.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Emulator address: &lt;a href=&quot;%1&quot;&gt;%1&lt;/a&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your data is kept in: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Welcome to Allegro Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your Allegro orders on your own computer: synced in the background, searchable, with statistics and spreadsheet export, and kept for as long as you like — even offline.&lt;br&gt;&lt;br&gt;Start by connecting your Allegro account: the app shows a short code, and you approve it on allegro.pl.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected to Allegro</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The orders of &lt;b&gt;%1&lt;/b&gt; stay on this computer. Syncing them is paused until the account is connected again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (not connected)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected to Allegro as &lt;b&gt;%1&lt;/b&gt;. The app keeps this account&apos;s orders on this computer and syncs them in the background.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected as %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allegro no longer accepts this app&apos;s access to &lt;b&gt;%1&lt;/b&gt; (for example after a password change, or the app was unlinked on allegro.pl). Connect the account again to resume syncing; your local orders stay.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; orders of this account are stored on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Syncing %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 orders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 orders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 — %3 (%4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping the sync…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last sync: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not synced yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next try: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next sync: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic sync is off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline — the orders on this computer stay available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allegro asked the app to slow down for a while</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be connected again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allegro is having trouble right now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>starting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading the order history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading the order history again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading new events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>checking recent orders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (connect again)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect another Allegro account…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Disconnect %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disconnect %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disconnect &lt;b&gt;%1&lt;/b&gt; from this app?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The app forgets its access to the account. Do you want to keep the account&apos;s orders on this computer (you can still browse and export them), or delete them?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disconnect, keep orders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disconnect, delete orders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Allegro Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;Allegro Desktop %1&lt;/h3&gt;&lt;p&gt;A free, fast, private order manager for Allegro.pl sellers.&lt;/p&gt;&lt;p&gt;Open source under the GNU GPL v3 or later. Not affiliated with Allegro.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OrderDetailsPanel</name>
    <message>
        <source>Copied</source>
        <extracomment>The sections of the panel, top to bottom (also their object names: &quot;&lt;name&gt;Section&quot;). The buyer&apos;s message and the seller&apos;s note come first: they change how the order is handled. Background and text colours of the status badge per working stage (readable on light and dark themes alike, since both are set).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an order to see its details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 order selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n orders selected</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Buyer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invoice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message from the buyer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allegro&apos;s id of this order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the order id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bought %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The buyer&apos;s side of the order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your status of the order (shipping)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total to pay, delivery included</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open in Allegro</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open this order in My Allegro in your browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Guest purchase (no Allegro account)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Login:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pickup point:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Point id:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recipient:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address changed by the buyer %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivery cost:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ship by:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SKU: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offer %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivery:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total to pay:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paid %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To be paid on delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not paid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amount paid:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Surcharge: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No invoice requested</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NIP:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VAT EU:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payment due:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No events are stored for this order (Allegro keeps its order journal for 60 days).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OrderValue</name>
    <message>
        <source>Bought, checkout not completed</source>
        <extracomment>The symbols a seller of these marketplaces knows (Allegro&apos;s own pages use them). The sandbox&apos;s site, as its OAuth and consent pages show (FACTS.md §1).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Awaiting payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paid, ready to process</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Processing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready for shipment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready for pickup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Picked up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suspended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cash on delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bank transfer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Online payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Split payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deferred payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PayU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Przelewy24</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allegro Finance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paid on delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allegro.pl</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allegro.cz</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allegro.sk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allegro.hu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To process</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unpaid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bought</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checkout completed, awaiting payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled by the buyer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seller&apos;s status changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled by Allegro (not paid in time)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Buyer changed the delivery address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Poland</source>
        <extracomment>The countries of Allegro&apos;s marketplaces and their neighbours; others show their code.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Czechia</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slovakia</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hungary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Germany</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lithuania</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ukraine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Austria</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OrdersModel</name>
    <message>
        <source>Yes</source>
        <extracomment>`data()` role of an order&apos;s seq (int), without fetching its row. `data()` role of the whole `OrderRow` (None if the order is no longer stored). Seqs searched one by one in the bytes of the result (each a fast C scan); more are found with one pass in Python.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not paid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, paid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, not paid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bought without an Allegro account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paid %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Purchased</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Buyer login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Buyer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Qty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fulfillment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>City</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invoice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Marketplace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When the buyer bought (your time zone)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allegro&apos;s order number (checkout form id)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many pieces were bought in all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the buyer pays, delivery included</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The buyer&apos;s side: bought, paid or cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your side: the status you set on Allegro</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Whether the buyer asked for an invoice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Allegro account that sold it</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SyncLogModel</name>
    <message>
        <source>Started</source>
        <extracomment>The most runs shown (retention keeps fewer per account anyway). The colour of a failed run&apos;s text (dark enough on white, bright enough on a dark theme).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Updated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Orders stored for the first time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stored orders that changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entries of Allegro&apos;s order journal read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests sent to Allegro</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests repeated after a network or server error</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SyncLogView</name>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the sync history again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No syncs yet. Once an Allegro account is connected, every sync is listed here: when it ran, what it brought and, if it failed, why.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n syncs</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
</TS>
