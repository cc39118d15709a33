<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>PauseDialog</name>
    <message>
        <source>Pause this window</source>
        <translation>暂停本窗口服务</translation>
    </message>
    <message>
        <source>(choose a reason)</source>
        <translation>（选择原因）</translation>
    </message>
    <message>
        <source>Where you go (required for 'other')</source>
        <translation>去向（原因为“其他”时必填）</translation>
    </message>
    <message>
        <source>Longer than %1 min: a covering colleague and a manager's approval are needed.</source>
        <translation>离开超过 %1 分钟：须有同事顶岗并经主任授权。</translation>
    </message>
    <message>
        <source>Staff number</source>
        <translation>工号</translation>
    </message>
    <message>
        <source>Manager's staff number</source>
        <translation>主任/值班长工号</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Back at</source>
        <translation>预计返回</translation>
    </message>
    <message>
        <source>Covered by</source>
        <translation>顶岗人</translation>
    </message>
    <message>
        <source>Approved by</source>
        <translation>授权人</translation>
    </message>
    <message>
        <source>Manager's password</source>
        <translation>授权人密码</translation>
    </message>
</context>
<context>
    <name>PauseModel</name>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>去向</translation>
    </message>
    <message>
        <source>Back at</source>
        <translation>预计返回</translation>
    </message>
    <message>
        <source>Covered by</source>
        <translation>顶岗人</translation>
    </message>
</context>
<context>
    <name>QueuePanel</name>
    <message>
        <source>Window %1 — clerk %2</source>
        <translation>%1 号窗口 — 柜员 %2</translation>
    </message>
    <message>
        <source>Call next</source>
        <translation>叫下一位</translation>
    </message>
    <message>
        <source>Recall</source>
        <translation>重呼</translation>
    </message>
    <message>
        <source>No-show</source>
        <translation>过号</translation>
    </message>
    <message>
        <source>Transfer…</source>
        <translation>转办…</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>办结</translation>
    </message>
    <message>
        <source>Pause / resume window…</source>
        <translation>暂停/恢复服务…</translation>
    </message>
    <message>
        <source>Hold</source>
        <translation>挂起</translation>
    </message>
    <message>
        <source>Queue statistics…</source>
        <translation>排队统计…</translation>
    </message>
    <message>
        <source>Database not reachable — retrying…</source>
        <translation>数据库连接中断，正在重试…</translation>
    </message>
    <message>
        <source>No customer at this window</source>
        <translation>本窗口当前没有客户</translation>
    </message>
    <message>
        <source>called</source>
        <translation>已叫号</translation>
    </message>
    <message>
        <source>serving</source>
        <translation>办理中</translation>
    </message>
    <message>
        <source>held</source>
        <translation>挂起</translation>
    </message>
    <message>
        <source>priority</source>
        <translation>绿色通道</translation>
    </message>
    <message>
        <source>recalled %1×</source>
        <translation>已重呼 %1 次</translation>
    </message>
    <message>
        <source>first clerk %1</source>
        <translation>首问柜员 %1</translation>
    </message>
    <message>
        <source>Waited %1</source>
        <translation>已等候 %1</translation>
    </message>
    <message>
        <source>Serving %1</source>
        <translation>办理 %1</translation>
    </message>
    <message>
        <source>Resume service (F7)</source>
        <translation>恢复服务 (F7)</translation>
    </message>
    <message>
        <source>Pause (F7)</source>
        <translation>暂停服务 (F7)</translation>
    </message>
    <message>
        <source>This window is paused</source>
        <translation>此窗口暂停服务</translation>
    </message>
    <message>
        <source>%1 — back at %2</source>
        <translation>%1 — 预计 %2 返回</translation>
    </message>
    <message>
        <source>Called %1 (waited %2)</source>
        <translation>已叫 %1（等候 %2）</translation>
    </message>
    <message>
        <source>Recalled %1 (%2 of %3)</source>
        <translation>已重呼 %1（第 %2 次，上限 %3 次）</translation>
    </message>
    <message>
        <source>%1 marked no-show</source>
        <translation>%1 已过号</translation>
    </message>
    <message>
        <source>%1 finished</source>
        <translation>%1 已办结</translation>
    </message>
    <message>
        <source>%1 held</source>
        <translation>%1 已挂起</translation>
    </message>
    <message>
        <source>No customer is held here</source>
        <translation>本窗口没有挂起的客户</translation>
    </message>
    <message>
        <source>window %1</source>
        <translation>%1 号窗口</translation>
    </message>
    <message>
        <source>%1 transferred to %2</source>
        <translation>%1 已转办到 %2</translation>
    </message>
    <message>
        <source>Window paused until %1</source>
        <translation>本窗口暂停服务，预计 %1 返回</translation>
    </message>
    <message>
        <source>Window open again</source>
        <translation>本窗口已恢复服务</translation>
    </message>
</context>
<context>
    <name>QueuePanelView</name>
    <message>
        <source>Current customer</source>
        <translation>当前客户</translation>
    </message>
    <message>
        <source>Call next (F2)</source>
        <translation>叫号 (F2)</translation>
    </message>
    <message>
        <source>Customer here</source>
        <translation>客户已到</translation>
    </message>
    <message>
        <source>Finish (F6)</source>
        <translation>办结 (F6)</translation>
    </message>
    <message>
        <source>Recall (F3)</source>
        <translation>重呼 (F3)</translation>
    </message>
    <message>
        <source>No-show (F4)</source>
        <translation>过号 (F4)</translation>
    </message>
    <message>
        <source>Transfer (F5)</source>
        <translation>转办 (F5)</translation>
    </message>
    <message>
        <source>Hold (Ctrl+H)</source>
        <translation>挂起 (Ctrl+H)</translation>
    </message>
    <message>
        <source>Pause (F7)</source>
        <translation>暂停服务 (F7)</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等候</translation>
    </message>
    <message>
        <source>Held here (select and resume)</source>
        <translation>本窗口挂起的客户（选中后恢复）</translation>
    </message>
    <message>
        <source>Resume held customer</source>
        <translation>恢复办理挂起客户</translation>
    </message>
    <message>
        <source>Paused windows</source>
        <translation>暂停服务的窗口</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <source>Transfer the customer</source>
        <translation>转办客户</translation>
    </message>
    <message>
        <source>(same service)</source>
        <translation>（原业务）</translation>
    </message>
    <message>
        <source>(any window)</source>
        <translation>（任一窗口）</translation>
    </message>
    <message>
        <source>Window %1</source>
        <translation>%1 号窗口</translation>
    </message>
    <message>
        <source>What the next clerk needs to know</source>
        <translation>需要交接给下一位柜员的情况</translation>
    </message>
    <message>
        <source>To service</source>
        <translation>转往业务</translation>
    </message>
    <message>
        <source>To window</source>
        <translation>转往窗口</translation>
    </message>
    <message>
        <source>Hand-over note</source>
        <translation>交接说明</translation>
    </message>
</context>
<context>
    <name>WaitingModel</name>
    <message>
        <source>Service</source>
        <translation>业务</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等候</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>绿色通道</translation>
    </message>
</context>
</TS>