<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN" sourcelanguage="en">
<context>
    <name>Age</name>
    <message>
        <location filename="../../widgets/text.py" line="+59"/>
        <source>{0} s</source>
        <translation>{0} giây</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} min</source>
        <translation>{0} phút</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} h</source>
        <translation>{0} giờ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} d</source>
        <translation>{0} ngày</translation>
    </message>
</context>
<context>
    <name>AlarmBanner</name>
    <message>
        <location filename="../../widgets/alarm_banner.py" line="+44"/>
        <source>Acknowledge</source>
        <translation>Xác nhận</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>{0} active, {1} unacknowledged</source>
        <translation>{0} đang hoạt động, {1} chưa xác nhận</translation>
    </message>
</context>
<context>
    <name>AqiBand</name>
    <message>
        <location filename="../../widgets/theme.py" line="+58"/>
        <source>Good</source>
        <translation>Tốt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Moderate</source>
        <translation>Trung bình</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Poor</source>
        <translation>Kém</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bad</source>
        <translation>Xấu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Very bad</source>
        <translation>Rất xấu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hazardous</source>
        <translation>Nguy hại</translation>
    </message>
</context>
<context>
    <name>FeedStatusBar</name>
    <message>
        <location filename="../../widgets/feed_status.py" line="+53"/>
        <source>CONNECTING</source>
        <translation>ĐANG KẾT NỐI</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>LIVE</source>
        <translation>TRỰC TUYẾN</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>RECONNECTING</source>
        <translation>ĐANG KẾT NỐI LẠI</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>NOT AUTHORISED</source>
        <translation>KHÔNG ĐƯỢC PHÉP</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OFFLINE</source>
        <translation>NGOẠI TUYẾN</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>(retry {0:.0f}s)</source>
        <translation>(thử lại sau {0:.0f} giây)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Rejected frames: {0}</source>
        <translation>Gói dữ liệu bị loại: {0}</translation>
    </message>
    <message>
        <source>Rejected: {0}</source>
        <translation type="vanished">Bị loại: {0}</translation>
    </message>
</context>
<context>
    <name>KpiTile</name>
    <message numerus="yes">
        <location filename="../../widgets/kpi_tile.py" line="+106"/>
        <source>%n item(s) need attention</source>
        <translation>
            <numerusform>%n mục cần xử lý</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LevelGraphs</name>
    <message>
        <location filename="../../plugins/environment/gui.py" line="+91"/>
        <source>Waiting for water levels…</source>
        <translation>Đang chờ số liệu mực nước…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Water level — {0}</source>
        <translation>Mực nước — {0}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../widgets/main_window.py" line="+30"/>
        <source>Huế IOC — Operations Center</source>
        <translation>IOC Huế — Trung tâm Giám sát, điều hành</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>&amp;View</source>
        <translation>&amp;Xem</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Services overview</source>
        <translation>Tổng quan các dịch vụ</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Cache or feed failed: {0}</source>
        <translation>Lỗi bộ nhớ đệm hoặc luồng dữ liệu: {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The backend&apos;s event log changed; the previous cache is kept at {0}</source>
        <translation>Nhật ký sự kiện của máy chủ đã thay đổi; bộ nhớ đệm trước đó được giữ lại tại {0}</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Plugin {0} disabled: {1}</source>
        <translation>Đã tắt phân hệ {0}: {1}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The cache file was damaged; it was moved aside to {0} and a new cache started</source>
        <translation>Tệp bộ nhớ đệm bị hỏng; tệp đã được chuyển sang {0} và một bộ nhớ đệm mới đã được tạo</translation>
    </message>
    <message>
        <location line="+78"/>
        <source>Rejected frames</source>
        <translation>Gói dữ liệu bị loại</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Received</source>
        <translation>Thời điểm nhận</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Topic</source>
        <translation>Chủ đề</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sequence no.</source>
        <translation>Số thứ tự</translation>
    </message>
    <message>
        <source>Seq</source>
        <translation type="vanished">Số thứ tự</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
</context>
<context>
    <name>ReportQueue</name>
    <message>
        <location filename="../../plugins/reports/gui.py" line="+91"/>
        <source>Priority</source>
        <translation>Ưu tiên</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Received</source>
        <translation>Tiếp nhận lúc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Category</source>
        <translation>Lĩnh vực</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Description</source>
        <translation>Nội dung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Place</source>
        <translation>Địa điểm</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Channel</source>
        <translation>Kênh</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Agency</source>
        <translation>Đơn vị xử lý</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Due</source>
        <translation>Hạn xử lý</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Report no.</source>
        <translation>Mã phản ánh</translation>
    </message>
    <message>
        <source>Number</source>
        <translation type="vanished">Mã số</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>{0} reports · {1} open · {2} urgent · {3} overdue</source>
        <translation>{0} phản ánh · {1} đang mở · {2} khẩn · {3} quá hạn</translation>
    </message>
</context>
<context>
    <name>ServicesOverview</name>
    <message>
        <location filename="../../widgets/services_overview.py" line="+69"/>
        <source>disabled</source>
        <translation>đã tắt</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>data {0} old</source>
        <translation>dữ liệu cũ {0}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>newest data: {0} ago</source>
        <translation>dữ liệu mới nhất: cách đây {0}</translation>
    </message>
</context>
<context>
    <name>TimeSeriesPlot</name>
    <message>
        <location filename="../../widgets/timeseries_plot.py" line="+410"/>
        <source>STALE</source>
        <translation>DỮ LIỆU CŨ</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No data</source>
        <translation>Không có dữ liệu</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Water level</source>
        <translation>Mực nước</translation>
    </message>
</context>
<context>
    <name>alerts</name>
    <message>
        <location filename="../../plugins/alerts/gui.py" line="+22"/>
        <source>Extreme</source>
        <translation>Cực kỳ nghiêm trọng</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Severe</source>
        <translation>Nghiêm trọng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Moderate</source>
        <translation>Trung bình</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Minor</source>
        <translation>Nhẹ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unknown</source>
        <translation>Chưa rõ</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Area</source>
        <translation>Khu vực</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+26"/>
        <source>Severity</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <location line="-25"/>
        <source>Instruction</source>
        <translation>Khuyến cáo</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>State</source>
        <translation>Tình trạng</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+60"/>
        <source>in force</source>
        <translation>đang hiệu lực</translation>
    </message>
    <message>
        <location line="-59"/>
        <source>cancelled</source>
        <translation>đã hủy</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>ended</source>
        <translation>hết hiệu lực</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Event</source>
        <translation>Sự kiện</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Headline</source>
        <translation>Tiêu đề</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sent</source>
        <translation>Ban hành lúc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sender</source>
        <translation>Cơ quan ban hành</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Warnings (CAP)</source>
        <translation>Cảnh báo (CAP)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warnings</source>
        <translation>Cảnh báo</translation>
    </message>
</context>
<context>
    <name>environment</name>
    <message>
        <location filename="../../plugins/environment/gui.py" line="-71"/>
        <source>water level</source>
        <translation>mực nước</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reservoir level</source>
        <translation>mực nước hồ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rainfall</source>
        <translation>lượng mưa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>inflow</source>
        <translation>lưu lượng đến</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>outflow</source>
        <translation>lưu lượng xả</translation>
    </message>
    <message>
        <location line="+40"/>
        <location line="+56"/>
        <source>Quantity</source>
        <translation>Thông số</translation>
    </message>
    <message>
        <location line="-56"/>
        <location line="+57"/>
        <source>Value</source>
        <translation>Giá trị</translation>
    </message>
    <message>
        <location line="-56"/>
        <location line="+61"/>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Station</source>
        <translation>Trạm</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Flood level</source>
        <translation>Mức báo động</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Hydrology and air</source>
        <translation>Thủy văn và không khí</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>River levels</source>
        <translation>Mực nước sông</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stations</source>
        <translation>Trạm quan trắc</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>{0}: water level {1} — above {2}</source>
        <translation>{0}: mực nước {1} — trên {2}</translation>
    </message>
</context>
<context>
    <name>plugins</name>
    <message>
        <location filename="../../plugins/reports/__init__.py" line="+16"/>
        <source>Field reports</source>
        <translation>Phản ánh hiện trường</translation>
    </message>
    <message>
        <location filename="../../plugins/environment/__init__.py" line="+16"/>
        <source>Reservoirs, rivers and air</source>
        <translation>Hồ đập, sông và không khí</translation>
    </message>
    <message>
        <location filename="../../plugins/vessels/__init__.py" line="+16"/>
        <source>Fishing vessels</source>
        <translation>Tàu cá</translation>
    </message>
    <message>
        <location filename="../../plugins/alerts/__init__.py" line="+16"/>
        <source>Warnings</source>
        <translation>Cảnh báo</translation>
    </message>
</context>
<context>
    <name>reports</name>
    <message>
        <location filename="../../plugins/reports/gui.py" line="-124"/>
        <source>received</source>
        <translation>tiếp nhận</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>verified</source>
        <translation>đã xác minh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>assigned</source>
        <translation>đã chuyển xử lý</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>in progress</source>
        <translation>đang xử lý</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>resolved</source>
        <translation>đã xử lý xong</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>closed</source>
        <translation>đã đóng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rejected</source>
        <translation>từ chối</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>▲ URGENT</source>
        <translation>▲ KHẨN</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>● high</source>
        <translation>● cao</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>normal</source>
        <translation>bình thường</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>hotline 1900 1075</source>
        <translation>đường dây nóng 1900 1075</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Priority</source>
        <translation>Ưu tiên</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Description</source>
        <translation>Nội dung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Address</source>
        <translation>Địa chỉ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Received</source>
        <translation>Tiếp nhận lúc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agency</source>
        <translation>Đơn vị xử lý</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>OVERDUE</source>
        <translation>QUÁ HẠN</translation>
    </message>
    <message>
        <location line="+82"/>
        <location line="+1"/>
        <source>Citizen reports</source>
        <translation>Phản ánh hiện trường</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>open</source>
        <translation>đang mở</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>urgent</source>
        <translation>khẩn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>overdue</source>
        <translation>quá hạn</translation>
    </message>
</context>
<context>
    <name>vessels</name>
    <message>
        <location filename="../../plugins/vessels/gui.py" line="+26"/>
        <source>fishing</source>
        <translation>đang đánh bắt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>underway</source>
        <translation>đang hành trình</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>in port</source>
        <translation>tại cảng</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>anchored</source>
        <translation>đang thả neo</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+42"/>
        <location line="+57"/>
        <source>lost signal</source>
        <translation>mất tín hiệu</translation>
    </message>
    <message>
        <location line="-72"/>
        <location line="+15"/>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location line="-14"/>
        <source>Speed</source>
        <translation>Tốc độ</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{0:.1f} kn</source>
        <translation>{0:.1f} hải lý/giờ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Course</source>
        <translation>Hướng đi</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+17"/>
        <source>Last fix</source>
        <translation>Định vị lần cuối</translation>
    </message>
    <message>
        <location line="-16"/>
        <location line="+19"/>
        <source>Home port</source>
        <translation>Cảng đăng ký</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>Vessel</source>
        <translation>Tàu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Registration</source>
        <translation>Số đăng ký</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Speed (kn)</source>
        <translation>Tốc độ (hải lý/giờ)</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+2"/>
        <source>Fishing vessels</source>
        <translation>Tàu cá</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Vessel tracks</source>
        <translation>Hành trình tàu</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>at sea</source>
        <translation>trên biển</translation>
    </message>
</context>
</TS>
