<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>CheckListModel</name>
    <message>
        <source>Check</source>
        <translation>检查项</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>Blocks the close</source>
        <translation>不能日结</translation>
    </message>
</context>
<context>
    <name>DayCloseDialog</name>
    <message>
        <source>Only a hall manager can close or reopen a day.</source>
        <translation>只有营业厅主任或值班长可以日结或重新开启。</translation>
    </message>
    <message>
        <source>Receipts %1 to %2 (%3)</source>
        <translation>票据号 %1 至 %2（%3 张）</translation>
    </message>
    <message>
        <source>Receipt numbers without gaps</source>
        <translation>票据号连续，无缺号</translation>
    </message>
    <message>
        <source>Missing receipt numbers: %1</source>
        <translation>缺少票据号：%1</translation>
    </message>
    <message>
        <source>Unprinted receipts: %1</source>
        <translation>未打印票据：%1 张</translation>
    </message>
    <message>
        <source>%1 is closed.</source>
        <translation>%1 已日结。</translation>
    </message>
    <message>
        <source>%1 can be closed.</source>
        <translation>%1 可以日结。</translation>
    </message>
    <message>
        <source>%1 cannot be closed yet.</source>
        <translation>%1 还不能日结。</translation>
    </message>
    <message>
        <source>The day is closed but the report could not be written: %1</source>
        <translation>已日结，但报表未能写入：%1</translation>
    </message>
    <message>
        <source>Closed. Net %1 yuan, %2 payments.</source>
        <translation>已日结。净额 %1 元，收费 %2 笔。</translation>
    </message>
    <message>
        <source>Backup: %1</source>
        <translation>已备份：%1</translation>
    </message>
    <message>
        <source>Backup failed: %1</source>
        <translation>备份失败：%1</translation>
    </message>
    <message>
        <source>Reopen the day</source>
        <translation>重新开启营业日</translation>
    </message>
    <message>
        <source>Why must the closed day be reopened?</source>
        <translation>为什么需要重新开启已日结的日期？</translation>
    </message>
    <message>
        <source>The day is open again; the reason is recorded.</source>
        <translation>该日已重新开启，原因已记录。</translation>
    </message>
</context>
<context>
    <name>DayCloseDialogView</name>
    <message>
        <source>Day close</source>
        <translation>日清日结</translation>
    </message>
    <message>
        <source>Business day</source>
        <translation>营业日</translation>
    </message>
    <message>
        <source>Check again (F5)</source>
        <translation>重新检查 (F5)</translation>
    </message>
    <message>
        <source>Close the day (Ctrl+Enter)</source>
        <translation>日结 (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Open report PDF (Ctrl+O)</source>
        <translation>打开报表 PDF (Ctrl+O)</translation>
    </message>
    <message>
        <source>Reopen the day…</source>
        <translation>重新开启…</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
</context>
<context>
    <name>TillsModel</name>
    <message>
        <source>Clerk</source>
        <translation>收费员</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Expected</source>
        <translation>应有</translation>
    </message>
    <message>
        <source>Counted</source>
        <translation>实点</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>长短款</translation>
    </message>
    <message>
        <source>Explanation</source>
        <translation>情况说明</translation>
    </message>
    <message>
        <source>Countersigned</source>
        <translation>复核人</translation>
    </message>
</context>
</TS>