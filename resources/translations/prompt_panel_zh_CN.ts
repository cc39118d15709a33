<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>PhraseTableModel</name>
    <message>
        <source>Phrase</source>
        <translation>用语</translation>
    </message>
    <message>
        <source>Say instead / note</source>
        <translation>应说 / 说明</translation>
    </message>
</context>
<context>
    <name>PromptPanel</name>
    <message>
        <source>Phrases</source>
        <translation>服务用语</translation>
    </message>
    <message>
        <source>Waiting for the next customer</source>
        <translation>等待下一位客户</translation>
    </message>
    <message>
        <source>Voice: moderate volume, warm tone, %1–%2 characters a minute.</source>
        <translation>声音：音量适中，语气亲切，语速每分钟 %1–%2 字。</translation>
    </message>
    <message>
        <source>Copied: %1</source>
        <translation>已复制：%1</translation>
    </message>
    <message>
        <source>Ticket %1 called — waited %2 min: apologise first</source>
        <translation>已叫 %1 号 —— 已等候 %2 分钟：先致歉</translation>
    </message>
    <message>
        <source>Ticket %1 called — greet the customer</source>
        <translation>已叫 %1 号 —— 问候客户</translation>
    </message>
    <message>
        <source>Ticket %1 transferred — hand the customer over</source>
        <translation>%1 号已转办 —— 衔接用语</translation>
    </message>
    <message>
        <source>Ticket %1 finished — see the customer off</source>
        <translation>%1 号已办结 —— 送客</translation>
    </message>
    <message>
        <source>Account %1 — address the customer</source>
        <translation>户号 %1 —— 称呼客户</translation>
    </message>
    <message>
        <source>Payment recorded, receipt %1 — say the amounts, thank the customer</source>
        <translation>已收款，票据 %1 —— 唱收唱付，致谢</translation>
    </message>
    <message>
        <source>Not possible: %1 — explain patiently</source>
        <translation>不能办理：%1 —— 耐心解释</translation>
    </message>
    <message>
        <source>Not possible — explain patiently</source>
        <translation>不能办理 —— 耐心解释</translation>
    </message>
    <message>
        <source>Elderly or disabled customer — help, louder and slower</source>
        <translation>老年或残障客户 —— 主动帮助，声音提高、语速放慢</translation>
    </message>
    <message>
        <source>Search service phrases</source>
        <translation>搜索服务用语</translation>
    </message>
    <message>
        <source>Copy the selected phrase</source>
        <translation>复制所选用语</translation>
    </message>
    <message>
        <source>Edit service phrases…</source>
        <translation>编辑服务用语…</translation>
    </message>
</context>
<context>
    <name>PromptPanelView</name>
    <message>
        <source>Service phrases</source>
        <translation>服务用语</translation>
    </message>
    <message>
        <source>Search phrases (F11): characters or pinyin initials</source>
        <translation>搜索用语（F11）：汉字或拼音首字母</translation>
    </message>
</context>
</TS>